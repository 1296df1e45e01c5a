import { AppError } from '../errors.js';
import type { StreamStore } from '../storage/roles.js';
import type { MissingSubnet, StreamRebuild } from '../storage/stream-types.js';
import { parseBuildingFile, type Building } from './building-file.js';
import { ruleSetLabel, type RuleSet } from './rule-sets.js';

/** CQD's threshold for the missing-subnet report: subnets with at least this many audio streams. */
export const MISSING_SUBNET_MIN_STREAMS = 10;

/** The stream table's state as answers report it. */
export interface StreamTableReport {
  /** The rule set that classified the stored rows, `name@version`. */
  ruleSet: string;
  /** The rule set this process was configured with (`--quality-rules`), when it differs from the stored one. */
  configuredRuleSet?: string;
  /** Why rows may be missing; absent when the table is complete. */
  stale?: string;
  /** Networks in the stored building file. */
  networks: number;
}

/** What importing a building file did. */
export interface BuildingImport {
  ruleSet: string;
  networks: number;
  /** Stream endpoints (sender or receiver) that are now in a building. */
  mappedEndpoints: number;
}

/**
 * The stream table's service (docs/analytics.md): building files, the missing-subnet report, rebuilds, and the
 * table's state; every answer names the rule set that classified the rows.
 */
export class StreamAnalytics {
  constructor(
    private readonly streams: StreamStore,
    private readonly configured?: RuleSet,
  ) {}

  /** The stored rule set, the configured one when it differs (a rebuild is due), staleness and networks. */
  async status(): Promise<StreamTableReport> {
    const status = await this.streams.status();
    const report: StreamTableReport = { ruleSet: ruleSetLabel(status.rules), networks: status.networks };
    if (this.configured !== undefined && ruleSetLabel(this.configured) !== report.ruleSet) {
      report.configuredRuleSet = ruleSetLabel(this.configured);
    }
    if (status.stale !== undefined) report.stale = status.stale;
    return report;
  }

  /**
   * Validates a building file and, when it holds no problem, replaces the stored one and re-maps every stream row.
   * A file with any problem is refused whole (`invalidBuildingFile`, one detail per problem with its line number).
   */
  async importBuildings(text: string): Promise<BuildingImport> {
    const parsed = parseBuildingFile(text);
    if (!parsed.ok) {
      const details = parsed.problems.map((p) => ({
        code: 'invalidValue',
        message: `line ${p.line}: ${p.message}`,
        target: `line ${p.line}`,
      }));
      const first = details[0]!.message;
      throw new AppError(
        'invalidBuildingFile',
        `The building file was refused and nothing was applied: ${details.length} problem(s), the first on ${first}`,
        details,
      );
    }
    const replaced = await this.streams.replaceBuildings(parsed.buildings);
    return { ruleSet: await this.ruleSet(), ...replaced };
  }

  /** The stored building file, in file order. */
  async buildings(): Promise<Building[]> {
    return this.streams.buildings();
  }

  /** CQD's missing-subnet report: subnets with at least `minAudioStreams` audio streams and no building. */
  async missingSubnets(
    minAudioStreams = MISSING_SUBNET_MIN_STREAMS,
  ): Promise<{ ruleSet: string; minAudioStreams: number; value: MissingSubnet[] }> {
    const value = await this.streams.missingSubnets(minAudioStreams);
    return { ruleSet: await this.ruleSet(), minAudioStreams, value };
  }

  /** Recreates the stream table from the stored records, classified by `rules` (which become the stored rules). */
  async rebuild(rules: RuleSet, onProgress?: (records: number) => void): Promise<StreamRebuild & { ruleSet: string }> {
    const result = await this.streams.rebuild(rules, onProgress);
    return { ...result, ruleSet: ruleSetLabel(rules) };
  }

  private async ruleSet(): Promise<string> {
    return ruleSetLabel((await this.streams.status()).rules);
  }
}
