/** Printed by the suite before mocha starts; the code-server runner shows what follows it. */
export const START_MARKER = '--- context7 integration suite ---';
