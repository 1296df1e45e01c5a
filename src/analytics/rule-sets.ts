import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';

/**
 * The thresholds of CQD's stream classification, as data
 * (https://learn.microsoft.com/microsoftteams/stream-classification-in-call-quality-dashboard). Audio is classified
 * only above `minPackets`; a threshold left out of a rule set is not applied.
 */
export interface RuleSet {
  readonly name: string;
  readonly version: number;
  readonly audio: {
    /** Audio is classified only when packetUtilization is greater than this (CQD: 500). */
    readonly minPackets: number;
    /** Poor when averageRoundTripTime is greater (milliseconds). */
    readonly roundTripMs?: number | undefined;
    /** Poor when averagePacketLossRate is greater (a fraction). */
    readonly packetLossRate?: number | undefined;
    /** Poor when averageJitter is greater (milliseconds). */
    readonly jitterMs?: number | undefined;
    /** Poor when averageAudioDegradation is greater (legacy rules). */
    readonly degradation?: number | undefined;
    /** Poor when averageRatioOfConcealedSamples is greater (legacy rules). */
    readonly concealedRatio?: number | undefined;
  };
  /** Video (`main-video`, `panoramic-video`, …): the first metric present decides. */
  readonly video: OrderedVideoRules;
  /** Video-based screen sharing (`applicationsharing-video`): same order, its own frame rate. */
  readonly vbss: OrderedVideoRules;
}

/** The ordered video rules: frame loss, then frame rate, then post-FEC packet loss. */
export interface OrderedVideoRules {
  /** Poor when averageVideoFrameLossPercentage is greater (percent). */
  readonly frameLossPercentage: number;
  /** Poor when averageVideoFrameRate is lower (frames per second). */
  readonly minFrameRate: number;
  /** Poor when postForwardErrorCorrectionPacketLossRate is greater (a fraction). */
  readonly postFecPacketLossRate: number;
}

const VIDEO: OrderedVideoRules = { frameLossPercentage: 50, minFrameRate: 7, postFecPacketLossRate: 0.15 };
const VBSS: OrderedVideoRules = { frameLossPercentage: 50, minFrameRate: 2, postFecPacketLossRate: 0.15 };

/** CQD's current rules: audio round trip, packet loss and jitter. */
export const CURRENT_RULES: RuleSet = {
  name: 'current',
  version: 1,
  audio: { minPackets: 500, roundTripMs: 500, packetLossRate: 0.1, jitterMs: 30 },
  video: VIDEO,
  vbss: VBSS,
};

/** CQD's legacy rules: the current ones plus audio degradation and the ratio of concealed samples. */
export const LEGACY_RULES: RuleSet = {
  name: 'legacy',
  version: 1,
  audio: { ...CURRENT_RULES.audio, degradation: 1.0, concealedRatio: 0.07 },
  video: VIDEO,
  vbss: VBSS,
};

/** The rule sets known by name. */
export const NAMED_RULE_SETS: Readonly<Record<string, RuleSet>> = { current: CURRENT_RULES, legacy: LEGACY_RULES };

/** How a rule set is named in answers: `name@version`. */
export function ruleSetLabel(rules: Pick<RuleSet, 'name' | 'version'>): string {
  return `${rules.name}@${rules.version}`;
}

/**
 * The rule set `--quality-rules` names: `current`, `legacy`, or a JSON file holding a whole rule set. A file that is
 * missing, not JSON or not a rule set is a `ConfigError`.
 */
export function loadRuleSet(nameOrFile: string): RuleSet {
  const named = NAMED_RULE_SETS[nameOrFile];
  if (named !== undefined) return named;
  let text: string;
  try {
    text = readFileSync(nameOrFile, 'utf8');
  } catch {
    throw new ConfigError(`--quality-rules '${nameOrFile}' is neither current, legacy nor a readable file`);
  }
  return parseRuleSet(text, nameOrFile);
}

/** A rule set from its JSON text; anything else is a `ConfigError` naming `source` and the first bad member. */
export function parseRuleSet(text: string, source: string): RuleSet {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ConfigError(`rule set ${source} is not JSON`);
  }
  const bad = (what: string) => new ConfigError(`rule set ${source}: ${what}`);
  if (!isObject(value)) throw bad('expected a JSON object');
  if (typeof value.name !== 'string' || value.name === '') throw bad('"name" must be a non-empty string');
  if (!Number.isInteger(value.version)) throw bad('"version" must be a whole number');
  const audio = value.audio;
  if (!isObject(audio) || typeof audio.minPackets !== 'number') throw bad('"audio.minPackets" must be a number');
  for (const key of ['roundTripMs', 'packetLossRate', 'jitterMs', 'degradation', 'concealedRatio']) {
    if (audio[key] !== undefined && typeof audio[key] !== 'number') throw bad(`"audio.${key}" must be a number`);
  }
  for (const medium of ['video', 'vbss']) {
    const rules = value[medium];
    for (const key of ['frameLossPercentage', 'minFrameRate', 'postFecPacketLossRate']) {
      if (!isObject(rules) || typeof rules[key] !== 'number') throw bad(`"${medium}.${key}" must be a number`);
    }
  }
  return value as unknown as RuleSet;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
