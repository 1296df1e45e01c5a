import { Command, CommanderError } from 'commander';
import { AppError, ConfigError } from '../errors.js';
import { CliError } from './cli-error.js';
import { EXIT_TRY_AGAIN, isTemporary } from './database-options.js';
import { optionsFor } from './options.js';
import { packageVersion } from '../runtime/package-version.js';

/** Runs the `callrecords` command line and resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('callrecords')
    .description('A self-hosted, Microsoft Graph-compatible archive of Teams call records.')
    .version(packageVersion(), '-V, --version', 'print the version of callrecords')
    .exitOverride()
    // A mistake on the command line is one line, like every other configuration error (not the whole help).
    .configureOutput({ outputError: (text, write) => write(`callrecords: ${oneLine(text)}; see --help\n`) });
  let exitCode = 0;

  const serve = program.command('serve').description('serve the Graph API and the ingest API');
  optionsFor('serve').forEach((o) => serve.addOption(o));
  // Each command loads its own code: import and export start without loading the HTTP server.
  serve.action(async (opts, command: Command) => {
    const { serveCommand } = await import('./serve-command.js');
    exitCode = await serveCommand({ ...opts, dbFromEnv: command.getOptionValueSource('db') === 'env' });
  });

  const load = program
    .command('import')
    .description('load call records from an NDJSON or JSON file, gzip-compressed or not (- for stdin)')
    .argument('<file>', 'NDJSON, a JSON array, a record or a Graph list page, plain or gzip; - reads stdin');
  optionsFor('import').forEach((o) => load.addOption(o));
  load.action(async (file: string, opts) => {
    const { importCommand } = await import('./import-command.js');
    exitCode = await importCommand(file, opts);
  });

  const dump = program
    .command('export')
    .description('write the current version (or every version) of each record as NDJSON to stdout');
  optionsFor('export').forEach((o) => dump.addOption(o));
  dump.action(async (opts) => {
    const { exportCommand } = await import('./export-command.js');
    exitCode = await exportCommand(opts);
  });

  const backup = program
    .command('backup')
    .description('copy a SQLite database into a new file, safe while a server uses it (PostgreSQL: pg_dump)')
    .argument('<file>', 'the copy to write; never overwritten');
  optionsFor('backup').forEach((o) => backup.addOption(o));
  backup.action(async (file: string, opts) => {
    const { backupCommand } = await import('./backup-command.js');
    exitCode = await backupCommand(file, opts);
  });

  const migrate = program
    .command('migrate')
    .description('bring the database schema up to date (serve and import also do this on start)');
  optionsFor('migrate').forEach((o) => migrate.addOption(o));
  migrate.action(async (opts) => {
    const { migrateCommand } = await import('./migrate-command.js');
    exitCode = await migrateCommand(opts);
  });

  const keys = program.command('keys').description('API keys for callers: create, list, revoke (docs/security.md)');
  const createKey = keys.command('create').description('create an API key and print it once (only a hash is kept)');
  [...optionsFor('keys'), ...optionsFor('keys-create')].forEach((o) => createKey.addOption(o));
  createKey.action(async (opts) => {
    const { keysCreateCommand } = await import('./keys-command.js');
    exitCode = await keysCreateCommand(opts);
  });
  const listKeys = keys.command('list').description('list the API keys: id, role, state, dates, name (never the key)');
  optionsFor('keys').forEach((o) => listKeys.addOption(o));
  listKeys.action(async (opts) => {
    const { keysListCommand } = await import('./keys-command.js');
    exitCode = await keysListCommand(opts);
  });
  const revokeKey = keys
    .command('revoke')
    .description('revoke an API key: it fails from the next request on')
    .argument('<id>', 'the key id, as keys create and keys list show it');
  optionsFor('keys').forEach((o) => revokeKey.addOption(o));
  revokeKey.action(async (id: string, opts) => {
    const { keysRevokeCommand } = await import('./keys-command.js');
    exitCode = await keysRevokeCommand(id, opts);
  });

  const purge = program
    .command('purge')
    .description("remove one person's identifiable data from every record and version (GDPR); see docs/privacy.md");
  optionsFor('purge').forEach((o) => purge.addOption(o));
  purge.action(async (opts) => {
    const { purgeCommand } = await import('./purge-command.js');
    exitCode = await purgeCommand(opts);
  });

  const generate = program
    .command('generate')
    .description('write realistic generated call records (a seeded organisation) as NDJSON');
  optionsFor('generate').forEach((o) => generate.addOption(o));
  generate.action(async (opts) => {
    const { generateCommand } = await import('./generate-command.js');
    exitCode = await generateCommand(opts);
  });

  const analytics = program.command('analytics').description('the per-stream call-quality table (docs/analytics.md)');
  const rebuild = analytics
    .command('rebuild')
    .description('recreate the stream table from the stored records, classified by --quality-rules');
  optionsFor('analytics').forEach((o) => rebuild.addOption(o));
  rebuild.action(async (opts) => {
    const { analyticsRebuildCommand } = await import('./analytics-command.js');
    exitCode = await analyticsRebuildCommand(opts);
  });
  const analyticsStatus = analytics
    .command('status')
    .description('the rule set the stream table was classified with, and whether it is complete');
  optionsFor('analytics').forEach((o) => analyticsStatus.addOption(o));
  analyticsStatus.action(async (opts) => {
    const { analyticsStatusCommand } = await import('./analytics-command.js');
    exitCode = await analyticsStatusCommand(opts);
  });

  const buildings = program.command('buildings').description("the building file (CQD's network and building data)");
  const buildingsImport = buildings
    .command('import')
    .description('replace the building file (CSV or TSV, no header, 14 or 15 columns) and re-map the stream table')
    .argument('<file>', 'the building file');
  optionsFor('buildings').forEach((o) => buildingsImport.addOption(o));
  buildingsImport.action(async (file: string, opts) => {
    const { buildingsImportCommand } = await import('./buildings-command.js');
    exitCode = await buildingsImportCommand(file, opts);
  });

  const sync = program
    .command('sync')
    .description(
      'collect the last --backfill-days of call records from Microsoft Graph, then exit (docs/graph-sync.md)',
    );
  optionsFor('sync').forEach((o) => sync.addOption(o));
  sync.action(async (opts) => {
    const { syncCommand } = await import('./sync-command.js');
    exitCode = await syncCommand(opts);
  });

  const simulator = program
    .command('graph-simulator')
    .description('an offline Microsoft Graph look-alike (tokens, call records, faults) to try the collector against');
  optionsFor('graph-simulator').forEach((o) => simulator.addOption(o));
  simulator.action(async (opts) => {
    const { graphSimulatorCommand } = await import('./graph-simulator-command.js');
    exitCode = await graphSimulatorCommand(opts);
  });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    // A configuration mistake, found here or in a layer below (ConfigError), is one line and exit 2, never a stack.
    if (error instanceof CliError || error instanceof ConfigError || error instanceof AppError) {
      process.stderr.write(`callrecords: ${error.message}\n`);
      if (isTemporary(error)) return EXIT_TRY_AGAIN;
      return error instanceof CliError ? error.exitCode : 2;
    }
    process.stderr.write(`callrecords: ${(error as Error).message}\n`);
    return 1;
  }
}

// Commander's message without its `error: ` prefix, a suggestion ("Did you mean --port?") joined to it.
function oneLine(text: string): string {
  return text
    .trim()
    .replace(/^error: /, '')
    .split(/\s*\n\s*/)
    .join(' ');
}
