import { Command, CommanderError } from 'commander';
import { AppError } from '../errors.js';
import { CliError } from './cli-error.js';
import { optionsFor } from './options.js';

/** Runs the `callrecords` command line and resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('callrecords')
    .description('A self-hosted, Microsoft Graph-compatible archive of Teams call records.')
    .exitOverride()
    .showHelpAfterError();
  let exitCode = 0;

  const serve = program.command('serve').description('serve the Graph API and the ingest API');
  optionsFor('serve').forEach((o) => serve.addOption(o));
  // Each command loads its own code: import and export start without loading the HTTP server.
  serve.action(async (opts) => {
    const { serveCommand } = await import('./serve-command.js');
    exitCode = await serveCommand(opts);
  });

  const load = program
    .command('import')
    .description('load call records from an NDJSON or JSON file (- for stdin)')
    .argument('<file>', 'NDJSON, a JSON array, a record or a Graph list page; - reads stdin');
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

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof CliError || error instanceof AppError) {
      process.stderr.write(`callrecords: ${error.message}\n`);
      return error instanceof CliError ? error.exitCode : 2;
    }
    process.stderr.write(`callrecords: ${(error as Error).message}\n`);
    return 1;
  }
}
