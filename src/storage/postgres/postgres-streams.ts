import type pg from 'pg';
import { BuildingMap } from '../../analytics/building-map.js';
import { ruleSetLabel, type RuleSet } from '../../analytics/rule-sets.js';
import type { BuildingsTable } from '../../analytics/stream-row.js';
import { STREAM_COLUMN_NAMES } from '../../analytics/stream-columns.js';
import { streamRowsOfWrite, type StreamDerivation } from '../../analytics/stream-rows.js';
import type { StreamStore } from '../roles.js';
import type { ExportRange } from '../store.js';
import {
  DerivationCache,
  MAP_COLUMNS,
  STREAM_SQL,
  buildingParams,
  derivationOf,
  mapRow,
  newGeneration,
  numbered,
  storedRules,
  toBuilding,
} from '../stream-sql.js';
import type {
  Building,
  BuildingsReplaced,
  MissingSubnet,
  StoredStream,
  StreamCursor,
  StreamRebuild,
  StreamTableStatus,
} from '../stream-types.js';
import { partsOf, type RecordRow } from '../sqlite/sqlite-streams.js';
import { lockRecords } from './advisory-locks.js';
import { copyRows } from './copy-rows.js';
import type { PgQueries } from './pg-queries.js';

const PAGE = 500;

/**
 * The stream role on PostgreSQL. Record writes derive stream rows in their batch transaction with `derivation(client)`
 * (after the records' locks: see batch-write.ts); a rebuild takes each page's record locks before reading it, so a
 * version written meanwhile is never overwritten by an older one's rows.
 */
export class PostgresStreams implements StreamStore {
  private readonly cache = new DerivationCache();

  constructor(private readonly db: PgQueries) {}

  /** The derivation writes use now, read on the writer's connection (one statement unless it changed). */
  async derivation(client: pg.PoolClient): Promise<StreamDerivation> {
    const generation = await this.value(client, STREAM_SQL.generation);
    return this.cache.atAsync(generation, async () =>
      derivationOf(
        await this.value(client, STREAM_SQL.rules),
        await this.db.rows<BuildingsTable>(client, STREAM_SQL.buildings),
      ),
    );
  }

  async status(): Promise<StreamTableStatus> {
    return this.db.snapshot(async (client) => ({
      rules: storedRules(await this.value(client, STREAM_SQL.rules)),
      stale: await this.value(client, STREAM_SQL.stale),
      networks: Number((await this.db.rows<{ n: number }>(client, STREAM_SQL.networkCount))[0]!.n),
    }));
  }

  async rebuild(rules: RuleSet, onProgress?: (records: number) => void): Promise<StreamRebuild> {
    await this.db.transaction(async (client) => {
      await this.putMeta(client, 'streams.rules', JSON.stringify(rules));
      await this.putMeta(client, 'streams.generation', newGeneration());
      await this.putMeta(client, 'streams.stale', `rebuild with ${ruleSetLabel(rules)} in progress`);
      await client.query('truncate streams');
    });
    const total = { records: 0, streams: 0 };
    for (let after = ''; ;) {
      const done = await this.db.transaction((client) => this.rebuildPage(client, after));
      total.records += done.records;
      total.streams += done.streams;
      onProgress?.(total.records);
      if (done.last === undefined || done.records < PAGE) break;
      after = done.last;
    }
    await this.db.pool.query(numbered(STREAM_SQL.deleteMeta), ['streams.stale']);
    return total;
  }

  async replaceBuildings(buildings: readonly Building[]): Promise<BuildingsReplaced> {
    const map = new BuildingMap(buildings);
    return this.db.transaction(async (client) => {
      await client.query(STREAM_SQL.deleteBuildings);
      for (const [i, b] of buildings.entries()) {
        await client.query(numbered(STREAM_SQL.insertBuilding), buildingParams(b, i));
      }
      await this.putMeta(client, 'streams.generation', newGeneration());
      await client.query(STREAM_SQL.clearBuildings);
      await client.query(
        `create temp table streams_building_map (k text collate "C" primary key, building text, network_name text,
           city text, state text, country text, region text, inside_corp bigint, express_route bigint,
           building_vpn bigint) on commit drop`,
      );
      let mappedEndpoints = 0;
      for (const side of ['sender', 'receiver']) {
        const keys = STREAM_SQL.sideKeys(side);
        for (const by of ['subnet', 'address'] as const) {
          await client.query('truncate streams_building_map');
          const values = await this.db.rows<{ k: string }>(client, by === 'subnet' ? keys.subnets : keys.addresses);
          const rows = values.flatMap(({ k }) => {
            const b = by === 'subnet' ? map.find(k, null) : map.find(null, k);
            return b === undefined ? [] : [mapRow(k, b)];
          });
          if (rows.length > 0) await copyRows(client, 'streams_building_map', MAP_COLUMNS, rows);
          const updated = await client.query(STREAM_SQL.remap(side, 'streams_building_map', by));
          mappedEndpoints += updated.rowCount ?? 0;
        }
      }
      return { networks: buildings.length, mappedEndpoints };
    });
  }

  async buildings(): Promise<Building[]> {
    return (await this.db.rows<BuildingsTable>(this.db.pool, STREAM_SQL.buildings)).map(toBuilding);
  }

  async missingSubnets(minAudioStreams: number): Promise<MissingSubnet[]> {
    const rows = await this.db.rows<{ subnet: string; n: number }>(this.db.pool, numbered(STREAM_SQL.missingSubnets), [
      minAudioStreams,
    ]);
    return rows.map((r) => ({ subnet: r.subnet, audioStreams: Number(r.n) }));
  }

  async readStreams(range: ExportRange, after: StreamCursor | undefined, limit: number): Promise<StoredStream[]> {
    const params: (string | number)[] = [];
    if (range.fromKey !== undefined) params.push(range.fromKey);
    if (range.toKey !== undefined) params.push(range.toKey);
    if (after !== undefined) params.push(after.startKey, after.recordId, after.ordinal);
    params.push(limit);
    return this.db.rows<StoredStream>(
      this.db.pool,
      numbered(STREAM_SQL.streamPage(range, after !== undefined)),
      params,
    );
  }

  private async rebuildPage(client: pg.PoolClient, after: string) {
    const page = await this.db.rows<{ id: string }>(
      client,
      `select id from call_records where id > $1 order by id limit $2`,
      [after, PAGE],
    );
    const ids = page.map((r) => r.id);
    if (ids.length === 0) return { last: undefined, records: 0, streams: 0 };
    await lockRecords(client, ids);
    const derivation = await this.derivation(client);
    // Read under the locks: the versions current now, which no write can replace until this page commits.
    const heads = await this.db.rows<RecordRow>(
      client,
      `select id, start_key, record_json from call_records where id = any($1::text[])`,
      [ids],
    );
    const sessions = await this.db.rows<{ record_id: string; session_json: string; segments_json: string }>(
      client,
      `select record_id, session_json, segments_json from sessions where record_id = any($1::text[])
        order by record_id, ordinal`,
      [ids],
    );
    const byRecord = new Map<string, typeof sessions>();
    for (const s of sessions) byRecord.set(s.record_id, [...(byRecord.get(s.record_id) ?? []), s]);
    const rows = heads.flatMap((h) => streamRowsOfWrite(partsOf(h, byRecord.get(h.id) ?? []), derivation));
    await client.query(`delete from streams where record_id = any($1::text[])`, [ids]);
    if (rows.length > 0) await copyRows(client, 'streams', STREAM_COLUMN_NAMES, rows);
    return { last: ids.at(-1), records: ids.length, streams: rows.length };
  }

  private async value(on: pg.Pool | pg.PoolClient, sql: string): Promise<string | undefined> {
    return (await this.db.rows<{ value: string }>(on, sql))[0]?.value;
  }

  private async putMeta(client: pg.PoolClient, key: string, value: string): Promise<void> {
    await client.query(numbered(STREAM_SQL.putMeta), [key, value]);
  }
}
