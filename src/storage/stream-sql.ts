import { randomUUID } from 'node:crypto';
import type { Building } from '../analytics/building-file.js';
import { BuildingMap, NO_BUILDINGS } from '../analytics/building-map.js';
import { CURRENT_RULES, parseRuleSet, type RuleSet } from '../analytics/rule-sets.js';
import type { BuildingsTable } from '../analytics/stream-row.js';
import type { StreamDerivation } from '../analytics/stream-rows.js';
import { BUILDING_FIELDS } from '../analytics/stream-columns.js';

/**
 * The SQL both stores run for the stream role (positional `?`; PostgreSQL numbers them with `numbered`), and how
 * the derivation (rule set and building map) is kept in store_meta: `streams.rules` (the rule set, JSON),
 * `streams.generation` (changes whenever either changes, so every instance reloads), `streams.stale`.
 */
export const STREAM_SQL = {
  generation: `select value from store_meta where key = 'streams.generation'`,
  rules: `select value from store_meta where key = 'streams.rules'`,
  stale: `select value from store_meta where key = 'streams.stale'`,
  putMeta: `insert into store_meta (key, value) values (?, ?) on conflict (key) do update set value = excluded.value`,
  deleteMeta: `delete from store_meta where key = ?`,
  buildings: `select * from buildings order by ordinal`,
  networkCount: `select count(*) as n from buildings`,
  deleteBuildings: `delete from buildings`,
  insertBuilding: `insert into buildings (ordinal, network_ip, network_range, network_name, building_name,
    ownership_type, building_type, building_office_type, city, zip_code, country, state, region, inside_corp,
    express_route, vpn) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  recordPage: `select id, start_key, record_json from call_records where id > ? order by id limit ?`,
  deleteStreamsOf: `delete from streams where record_id = ?`,
  missingSubnets: `select subnet, count(*) as n from (
      select sender_subnet as subnet from streams
       where media_type = 'audio' and sender_subnet is not null and sender_building is null
      union all
      select receiver_subnet as subnet from streams
       where media_type = 'audio' and receiver_subnet is not null and receiver_building is null
    ) s group by subnet having count(*) >= ? order by count(*) desc, subnet`,
  /** The distinct subnets of one side, and the addresses of the endpoints that have none. */
  sideKeys: (side: string) => ({
    subnets: `select distinct ${side}_subnet as k from streams where ${side}_subnet is not null`,
    addresses: `select distinct ${side}_ip_address as k from streams where ${side}_subnet is null and ${side}_ip_address is not null`,
  }),
  clearBuildings: `update streams set ${['sender', 'receiver']
    .flatMap((side) => BUILDING_FIELDS.map((f) => `${side}_${f} = null`))
    .join(', ')}`,
  /** Sets one side's building columns from a mapping table `m (k, <BUILDING_FIELDS>)` joined on subnet or address. */
  remap: (side: string, map: string, by: 'subnet' | 'address') =>
    `update streams set ${BUILDING_FIELDS.map((f) => `${side}_${f} = m.${f}`).join(', ')} from ${map} m
      where ${by === 'subnet' ? `streams.${side}_subnet = m.k` : `streams.${side}_subnet is null and streams.${side}_ip_address = m.k`}`,
  streamPage: (range: { fromKey?: string | undefined; toKey?: string | undefined }, after: boolean) =>
    `select * from streams where 1 = 1${range.fromKey !== undefined ? ' and start_key >= ?' : ''}${
      range.toKey !== undefined ? ' and start_key < ?' : ''
    }${after ? ' and (start_key, record_id, ordinal) > (?, ?, ?)' : ''} order by start_key, record_id, ordinal limit ?`,
};

/** The mapping table's columns: the key and the building fields. */
export const MAP_COLUMNS = ['k', ...BUILDING_FIELDS] as const;

/** An SQL text with `?` placeholders numbered `$1…` for PostgreSQL. */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** A new value for `streams.generation`. */
export function newGeneration(): string {
  return randomUUID();
}

/** A stored building row as a network of the building file. */
export function toBuilding(row: BuildingsTable): Building {
  return {
    networkIp: row.network_ip,
    networkName: row.network_name,
    networkRange: Number(row.network_range),
    buildingName: row.building_name,
    ownershipType: row.ownership_type,
    buildingType: row.building_type,
    buildingOfficeType: row.building_office_type,
    city: row.city,
    zipCode: row.zip_code,
    country: row.country,
    state: row.state,
    region: row.region,
    insideCorp: Number(row.inside_corp) === 1,
    expressRoute: Number(row.express_route) === 1,
    vpn: Number(row.vpn) === 1,
  };
}

/** A network's values for `insertBuilding`. */
export function buildingParams(b: Building, ordinal: number): (string | number)[] {
  return [
    ordinal,
    b.networkIp,
    b.networkRange,
    b.networkName,
    b.buildingName,
    b.ownershipType,
    b.buildingType,
    b.buildingOfficeType,
    b.city,
    b.zipCode,
    b.country,
    b.state,
    b.region,
    b.insideCorp ? 1 : 0,
    b.expressRoute ? 1 : 0,
    b.vpn ? 1 : 0,
  ];
}

/** The stored rule set (CQD's current rules when none was stored). */
export function storedRules(json: string | undefined): RuleSet {
  return json === undefined ? CURRENT_RULES : parseRuleSet(json, 'stored in store_meta');
}

/** The derivation from the stored rule set and building rows. */
export function derivationOf(rulesJson: string | undefined, buildings: readonly BuildingsTable[]): StreamDerivation {
  return {
    rules: storedRules(rulesJson),
    buildings: buildings.length === 0 ? NO_BUILDINGS : new BuildingMap(buildings.map(toBuilding)),
  };
}

/**
 * The derivation a store's writes use, reloaded when `streams.generation` changed (another instance rebuilt the
 * table or imported buildings): one cheap read per write batch.
 */
export class DerivationCache {
  private generation: string | undefined | null = null;
  private derivation: StreamDerivation | undefined;

  /** The derivation for `generation`, loaded with `load` when it is not the one held. */
  at(generation: string | undefined, load: () => StreamDerivation): StreamDerivation {
    if (this.derivation === undefined || generation !== this.generation) {
      this.derivation = load();
      this.generation = generation;
    }
    return this.derivation;
  }

  /** As `at`, loading asynchronously. */
  async atAsync(generation: string | undefined, load: () => Promise<StreamDerivation>): Promise<StreamDerivation> {
    if (this.derivation === undefined || generation !== this.generation) {
      this.derivation = await load();
      this.generation = generation;
    }
    return this.derivation;
  }
}

/** A row of the mapping table for a key and its building (undefined: not mapped, left out). */
export function mapRow(key: string, b: Building): (string | number)[] {
  return [
    key,
    b.buildingName,
    b.networkName,
    b.city,
    b.state,
    b.country,
    b.region,
    b.insideCorp ? 1 : 0,
    b.expressRoute ? 1 : 0,
    b.vpn ? 1 : 0,
  ];
}
