/**
 * Runs the Context7 stand-in on its own:
 *   node out/test/support/context7-stub-cli.js [--port N] [--host H]
 * The port also comes from C7_STUB_PORT (default 0: any free port), the host
 * from C7_STUB_HOST (default 127.0.0.1). Prints "Context7 stand-in listening on <url>",
 * then one line per request (Authorization values masked). Ctrl+C stops it.
 */
import { Context7Stub } from './context7-stub';

function option(name: string): string | undefined {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    if (args[i] === `--${name}`) return args[i + 1];
    if (args[i].startsWith(`--${name}=`)) return args[i].slice(name.length + 3);
  }
  if (name === 'port') return args.find((a) => /^\d+$/.test(a));
  return undefined;
}

async function main(): Promise<void> {
  const portText = option('port') ?? process.env.C7_STUB_PORT ?? '0';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`Invalid port "${portText}" (use --port N or C7_STUB_PORT, 0 for any free port).`);
    process.exit(2);
  }
  const host = option('host') ?? process.env.C7_STUB_HOST ?? '127.0.0.1';
  const stub = await Context7Stub.start({ port, host, log: (line) => console.log(line) });
  console.log(`Context7 stand-in listening on ${stub.url}`);
  console.log(`API URL (setting "context7.apiUrl"): ${stub.apiUrl}`);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void stub.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`Could not start the Context7 stand-in: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
