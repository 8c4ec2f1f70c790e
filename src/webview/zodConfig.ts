/**
 * Imported first by the webview bundle. zod compiles object parsers with `new Function` unless
 * told not to; the form's CSP has no 'unsafe-eval', and even zod's guarded probe for it would be
 * reported as a CSP violation. `jitless` keeps zod on its interpreter.
 */
import * as z from 'zod';

z.config({ jitless: true });
