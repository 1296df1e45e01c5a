import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { AppError, ConfigError } from '../errors.js';
import { CliError } from './cli-error.js';
import { EXIT_TRY_AGAIN, isTemporary } from './database-options.js';
import { optionsFor } from './options.js';

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

  const generate = program
    .command('generate')
    .description('write realistic generated call records (a seeded organisation) as NDJSON');
  optionsFor('generate').forEach((o) => generate.addOption(o));
  generate.action(async (opts) => {
    const { generateCommand } = await import('./generate-command.js');
    exitCode = await generateCommand(opts);
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

// src/cli and dist/cli are both two levels below the package root.
function packageVersion(): string {
  const file = join(import.meta.dirname, '../../package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}
