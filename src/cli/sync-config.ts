import { readFileSync } from 'node:fs';
import type { SyncConfig } from '../collector/collector.js';
import { CliError } from './cli-error.js';
import { expandHome, httpUrl } from './config-values.js';
import { wholeNumber } from './whole-number.js';

/** The Graph options of `serve --sync` and `callrecords sync`, as commander hands them over. */
export interface GraphSyncOptions {
  graphTenantId?: string;
  graphClientId?: string;
  graphClientSecret?: string;
  graphClientCertificate?: string;
  graphUrl: string;
  authorityHost: string;
  sweepInterval?: string;
  notificationUrl?: string;
  backfillDays?: string;
  fetchLease?: string;
}

/** Checks the Graph options; a missing or wrong one is a CliError naming it (exit code 2). */
export function syncConfig(opts: GraphSyncOptions): SyncConfig & { notificationUrl: string | undefined } {
  const tenantId = required(opts.graphTenantId, '--graph-tenant-id');
  const clientId = required(opts.graphClientId, '--graph-client-id');
  if ((opts.graphClientSecret === undefined) === (opts.graphClientCertificate === undefined)) {
    throw new CliError('Graph sync needs one of --graph-client-secret and --graph-client-certificate');
  }
  const certificate = opts.graphClientCertificate;
  let clientCertificatePem: string | undefined;
  if (certificate !== undefined) {
    const path = expandHome(certificate, '--graph-client-certificate');
    try {
      clientCertificatePem = readFileSync(path, 'utf8');
    } catch (error) {
      throw new CliError(`cannot read ${path}: ${(error as Error).message}`);
    }
  }
  return {
    credentials: {
      tenantId,
      clientId,
      clientSecret: opts.graphClientSecret,
      clientCertificatePem,
      graphUrl: httpUrl(opts.graphUrl, '--graph-url'),
      authorityHost: httpUrl(opts.authorityHost, '--authority-host'),
    },
    sweepIntervalMs: duration(opts.sweepInterval ?? '15m', '--sweep-interval'),
    backfillDays: opts.backfillDays === undefined ? undefined : backfillDays(opts.backfillDays),
    worker: { leaseMs: duration(opts.fetchLease ?? '1m', '--fetch-lease') },
    notificationUrl:
      opts.notificationUrl === undefined ? undefined : httpUrl(opts.notificationUrl, '--notification-url'),
  };
}

/** A duration option: `500ms`, `30s`, `15m`, `1h`, or a bare number of minutes; at least 100 ms. */
export function duration(value: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match?.[2] ?? 'm'] ?? 60_000;
  const ms = match === null ? NaN : Math.round(Number(match[1]) * unit);
  if (!(ms >= 100))
    throw new CliError(`${flag} must be a duration such as 30s, 15m or 1h (at least 100ms), not '${value}'`);
  return ms;
}

/** `--backfill-days`: 1 to 30, Graph's retention. */
export function backfillDays(value: string): number {
  const days = wholeNumber(value, '--backfill-days', 1);
  if (days > 30) throw new CliError('--backfill-days must be at most 30: Graph keeps call records for 30 days');
  return days;
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === '') throw new CliError(`Graph sync needs ${flag}`);
  return value.trim();
}
