/**
 * The argument object of `context7.addConfluenceSpace`, read loosely. It lets tasks, keybindings
 * and other extensions start (or run) the add flow. Kept free of `vscode` so it is unit-tested.
 */
import * as z from 'zod';
import { FIELD_NAMES, type FieldName } from '../core/schema';
import { MAX_FIELD_LENGTH, type Draft } from './protocol';

/**
 * The argument of `context7.addConfluenceSpace`, read loosely: unknown keys are ignored, and a key
 * whose value has the wrong type is dropped with a log line (the rest still applies).
 *
 * - any request field (`siteUrl`, `cloudId`, `spaceKey`, `spaceName`, `pageIds`, `title`,
 *   `description`, `projectId`) as text; `pageIds` may also be an array of IDs or page URLs;
 * - `flow`: `"form"` or `"quickInput"`, overriding `context7.addFlow` for this run;
 * - `submit: true`: submit at once, with no form or quick input, from the settings and the given
 *   fields only (never a kept draft: a scripted call must send exactly what it says; the one
 *   exception is an empty Cloud ID with a valid Site URL, which is looked up). The command
 *   then resolves to the client's result. When a field is invalid nothing is sent and the
 *   result is a `validation` failure, with a notification offering "Open Form";
 * - `signal`: an `AbortSignal` (callers in the same extension host only, such as other
 *   extensions or tests) that cancels a `submit: true` run like the notification's Cancel button;
 * - `includeSubPages: true`: with `submit: true` and page IDs, the pages are first expanded through
 *   all their sub-pages with the connected Atlassian account (as the form's "Include sub-pages").
 */
const text = z.string().max(MAX_FIELD_LENGTH);
const ARG_SCHEMAS: Record<string, z.ZodType> = {
  ...Object.fromEntries(FIELD_NAMES.map((name) => [name, text])),
  pageIds: z.union([text, z.array(z.union([text, z.number().int().positive()])).max(10_000)]),
  flow: z.enum(['form', 'quickInput']),
  submit: z.boolean(),
  signal: z.instanceof(AbortSignal),
  includeSubPages: z.boolean(),
};

export interface StartArgs {
  draft: Draft;
  flow?: 'form' | 'quickInput';
  submit?: boolean;
  signal?: AbortSignal;
  includeSubPages?: boolean;
}

export function parseStartArgs(raw: unknown, warn: (message: string) => void): StartArgs {
  const args: StartArgs = { draft: {} };
  if (raw === undefined || raw === null) return args;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    warn(`ignored a command argument that is not an object (${Array.isArray(raw) ? 'array' : typeof raw})`);
    return args;
  }
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const schema = Object.hasOwn(ARG_SCHEMAS, key) ? ARG_SCHEMAS[key] : undefined;
    if (!schema || value === undefined) continue; // unknown keys are ignored
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      warn(`ignored the command argument "${key}": ${parsed.error.issues[0]?.message ?? 'invalid'} (got ${Array.isArray(value) ? 'array' : typeof value})`);
      continue;
    }
    const data: unknown = parsed.data;
    if (key === 'flow') args.flow = data as 'form' | 'quickInput';
    else if (key === 'submit') args.submit = data as boolean;
    else if (key === 'signal') args.signal = data as AbortSignal;
    else if (key === 'includeSubPages') args.includeSubPages = data as boolean;
    else if (key === 'pageIds' && Array.isArray(data)) args.draft.pageIds = data.map(String).join(', ');
    else args.draft[key as FieldName] = data as string;
  }
  return args;
}
