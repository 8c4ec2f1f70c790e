/**
 * The form in each of VS Code's built-in themes: every text field must stand out from the page,
 * by its border or its background, or a person cannot see where to type.
 */
import * as assert from 'node:assert/strict';
import { useWorkbench } from './support/workbench';

const THEMES = [
  ['Light+', 'vs'],
  ['Light Modern', 'vs'],
  ['Dark+', 'vs-dark'],
  ['Dark Modern', 'vs-dark'],
  ['Light High Contrast', 'hc-light'],
  ['Dark High Contrast', 'hc-black'],
] as const;

/**
 * The least contrast, against the page, that the field's border or background must have. VS Code's
 * own light themes outline inputs with #CECECE on white (about 1.5:1), so that is the bar: a field
 * at least as visible as the workbench's own.
 */
const VISIBLE = 1.4;

type Rgba = [number, number, number, number];

function parseColour(css: string): Rgba {
  const m = /^rgba?\(([^)]+)\)$/.exec(css.trim());
  if (!m) throw new Error(`Unexpected computed colour: ${css}`);
  const [r, g, b, a = 1] = m[1].split(',').map((part) => Number(part.trim()));
  return [r, g, b, a];
}

/** The colour seen when `top` is painted over the opaque `bottom`. */
function over(top: Rgba, bottom: Rgba): Rgba {
  const a = top[3];
  return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1) as Rgba;
}

/** WCAG contrast ratio of two opaque colours. */
function contrast(x: Rgba, y: Rgba): number {
  const luminance = ([r, g, b]: Rgba) => {
    const lin = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const [hi, lo] = [luminance(x), luminance(y)].sort((p, q) => q - p);
  return (hi + 0.05) / (lo + 0.05);
}

describe('Form in every built-in theme (UI)', function () {
  this.timeout(180_000);
  const workbench = useWorkbench();

  for (const [theme, kind] of THEMES) {
    it(`shows where to type in ${theme}`, async () => {
      const wb = workbench();
      await wb.chooseColorTheme(theme, kind);
      await wb.runCommand('Context7: Add Confluence Space');
      const form = wb.webview();
      const field = form.getByLabel('Site URL', { exact: true });
      await field.waitFor({ timeout: 30_000 });
      await wb.page.waitForTimeout(300); // the webview picks up the new theme's variables
      const colours = await field.evaluate((el) => {
        // Runs in the webview; the test project has no DOM types.
        type Style = { borderTopColor: string; borderTopWidth: string; backgroundColor: string };
        const page = globalThis as unknown as { getComputedStyle(e: unknown): Style; document: { body: unknown } };
        const own = page.getComputedStyle(el);
        return {
          border: own.borderTopWidth === '0px' ? 'rgba(0, 0, 0, 0)' : own.borderTopColor,
          background: own.backgroundColor,
          page: page.getComputedStyle(page.document.body).backgroundColor,
        };
      });
      const name = `form-${theme.toLowerCase().replace(/\W+/g, '-').replace(/-$/, '')}.png`;
      await wb.docsScreenshot(name);
      const pageColour = parseColour(colours.page);
      const border = contrast(over(parseColour(colours.border), pageColour), pageColour);
      const background = contrast(over(parseColour(colours.background), pageColour), pageColour);
      assert.ok(
        Math.max(border, background) >= VISIBLE,
        `In ${theme} the Site URL field cannot be told from the page (${colours.page}): ` +
          `border ${colours.border} has contrast ${border.toFixed(2)}, background ${colours.background} has ${background.toFixed(2)}, ` +
          `need ${VISIBLE} (screenshot ${name}).`,
      );
    });
  }
});
