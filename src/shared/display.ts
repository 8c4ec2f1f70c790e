/**
 * Turning server answers into things shown or opened. No `vscode` import: unit-tested in Node.
 */

export const CONTEXT7_SITE = 'https://context7.com';

/**
 * `https://context7.com` + libraryName (a path such as `/acme/docs`), as Context7 documents it.
 * The name comes from the server, so each segment is encoded: whatever it holds, the link stays
 * on context7.com (`@evil.example` or `//evil.example` cannot change the host).
 */
export function libraryUrl(libraryName: string): string {
  const path = libraryName
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.' && segment !== '..')
    .map(encodeURIComponent)
    .join('/');
  return `${CONTEXT7_SITE}/${path}`;
}

/**
 * Notifications turn `[text](link)` into links, command links included. Server text must stay
 * text, so break that pattern without changing what a person reads.
 */
export function plain(text: string): string {
  return text.replace(/\]\(/g, ']\u200b(');
}
