/**
 * Starts the Atlassian stand-in (./atlassian-stub) on 127.0.0.1 with the default
 * fixture, for trying the extension by hand:
 *
 *   npm run compile-tests && node out/test/support/atlassian-stub-cli.js [--port 8091] [--page-size 2] [--no-cloud-id]
 *
 * Prints the site URL, cloud ID and email, then one line per request, and keeps
 * running until Ctrl+C. The API token is not printed: it is `STUB_API_TOKEN` in
 * test/support/atlassian-stub.ts, or the value of the ATLASSIAN_STUB_TOKEN
 * environment variable when set.
 */
import { AtlassianStub, STUB_API_TOKEN, STUB_EMAIL } from './atlassian-stub';

interface CliOptions {
  port: number;
  pageSize?: number;
  noCloudId: boolean;
}

function parseArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = { port: Number(process.env.ATLASSIAN_STUB_PORT ?? 0), noCloudId: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined || !/^\d+$/.test(next)) throw new Error(`${arg} needs a number`);
      return Number(next);
    };
    if (arg === '--port') options.port = value();
    else if (arg === '--page-size') options.pageSize = value();
    else if (arg === '--no-cloud-id') options.noCloudId = true;
    else if (arg === '--help' || arg === '-h') {
      console.log('Usage: atlassian-stub-cli [--port N] [--page-size N] [--no-cloud-id]');
      process.exit(0);
    } else throw new Error(`Unknown option ${arg} (try --help)`);
  }
  return options;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const email = process.env.ATLASSIAN_STUB_EMAIL || STUB_EMAIL;
  const customToken = process.env.ATLASSIAN_STUB_TOKEN;
  const stub = await AtlassianStub.start({
    port: options.port,
    email,
    apiToken: customToken || STUB_API_TOKEN,
    ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
    ...(options.noCloudId ? { cloudId: null } : {}),
    log: (line) => console.log(`${new Date().toISOString()} ${line}`),
  });
  console.log(`Atlassian stand-in listening on ${stub.siteUrl}`);
  console.log(`  site URL : ${stub.siteUrl}`);
  console.log(`  cloud ID : ${stub.cloudId ?? '(none: tenant_info answers 404)'}`);
  console.log(`  email    : ${email}`);
  console.log(`  API token: ${customToken ? 'the value of ATLASSIAN_STUB_TOKEN' : 'STUB_API_TOKEN from test/support/atlassian-stub.ts'}`);
  console.log(`  try      : ${stub.siteUrl}/wiki/spaces/ENG/pages/201819180/Architecture`);
  // One machine-readable line for scripts.
  console.log(JSON.stringify({ siteUrl: stub.siteUrl, cloudId: stub.cloudId, email }));

  const stop = () => {
    void stub.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
