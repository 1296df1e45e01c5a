import { readFileSync } from 'node:fs';
import { StreamAnalytics } from '../analytics/stream-analytics.js';
import { AppError } from '../errors.js';
import { CliError } from './cli-error.js';
import { expandHome } from './config-values.js';
import { openDatabaseOption, type DatabaseOptions } from './database-options.js';

/**
 * `buildings import <file>`: validates a CQD building file and, when it has no problem, replaces the stored one and
 * re-maps every stream row (0). A file with problems is refused whole: each problem on stderr with its line, exit 1.
 */
export async function buildingsImportCommand(
  file: string,
  opts: DatabaseOptions,
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = process,
): Promise<number> {
  const path = expandHome(file, '<file>');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`);
  }
  const database = await openDatabaseOption(opts, { mustExist: true });
  try {
    const result = await new StreamAnalytics(database.streams).importBuildings(text);
    io.stdout.write(
      `callrecords: ${result.networks} networks imported from ${path}; ${result.mappedEndpoints} stream endpoints are in a building\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'invalidBuildingFile') throw error;
    for (const detail of error.details ?? []) io.stderr.write(`${path}:${detail.message}\n`);
    io.stderr.write(`callrecords: ${path} refused, nothing applied\n`);
    return 1;
  } finally {
    await database.close();
  }
}
