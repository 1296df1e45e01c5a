import { streamRowsOfWrite, type StreamDerivation } from '../../analytics/stream-rows.js';
import type { BuildingsTable } from '../../analytics/stream-row.js';
import { ruleSetLabel, type RuleSet } from '../../analytics/rule-sets.js';
import { BuildingMap } from '../../analytics/building-map.js';
import { STREAM_COLUMN_NAMES } from '../../analytics/stream-columns.js';
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
import type { SqliteConnection } from './sqlite-connection.js';

const PAGE = 500;
const INSERT_STREAM = `insert into streams (${STREAM_COLUMN_NAMES.join(', ')}) values (${STREAM_COLUMN_NAMES.map(() => '?').join(', ')})`;

/**
 * The stream role on SQLite. Writes of records derive their stream rows through record-tables.ts with `derivation()`
 * (called inside each write transaction); rebuilds and building changes run page by page or whole in write
 * transactions, so no write lands between a page's read and its rows.
 */
export class SqliteStreams implements StreamStore {
  private readonly cache = new DerivationCache();

  constructor(private readonly c: SqliteConnection) {}

  /** The derivation writes use now (call inside a transaction: it reads store_meta's generation). */
  derivation(): StreamDerivation {
    const generation = this.value(STREAM_SQL.generation);
    return this.cache.at(generation, () =>
      derivationOf(this.value(STREAM_SQL.rules), this.c.statement(STREAM_SQL.buildings).all() as BuildingsTable[]),
    );
  }

  async status(): Promise<StreamTableStatus> {
    return this.c.inSnapshot(() => ({
      rules: storedRules(this.value(STREAM_SQL.rules)),
      stale: this.value(STREAM_SQL.stale),
      networks: Number((this.c.statement(STREAM_SQL.networkCount).get() as { n: number }).n),
    }));
  }

  async rebuild(rules: RuleSet, onProgress?: (records: number) => void): Promise<StreamRebuild> {
    await this.c.retry(
      this.c.writeTransaction(() => {
        this.putMeta('streams.rules', JSON.stringify(rules));
        this.putMeta('streams.generation', newGeneration());
        this.putMeta('streams.stale', `rebuild with ${ruleSetLabel(rules)} in progress`);
        this.c.statement('delete from streams').run();
      }),
    );
    const page = this.c.writeTransaction((after: string) => {
      const derivation = this.derivation();
      const heads = this.c.statement(STREAM_SQL.recordPage).all(after, PAGE) as RecordRow[];
      let streams = 0;
      for (const head of heads) {
        const sessions = this.c
          .statement('select session_json, segments_json from sessions where record_id = ? order by ordinal')
          .all(head.id) as { session_json: string; segments_json: string }[];
        const rows = streamRowsOfWrite(partsOf(head, sessions), derivation);
        this.c.statement(STREAM_SQL.deleteStreamsOf).run(head.id);
        for (const row of rows) this.c.statement(INSERT_STREAM).run(...row);
        streams += rows.length;
      }
      return { last: heads.at(-1)?.id, records: heads.length, streams };
    });
    const total = { records: 0, streams: 0 };
    for (let after = ''; ;) {
      const done = await this.c.retry(() => page(after));
      total.records += done.records;
      total.streams += done.streams;
      onProgress?.(total.records);
      if (done.last === undefined || done.records < PAGE) break;
      after = done.last;
    }
    await this.c.retry(() => this.c.statement(STREAM_SQL.deleteMeta).run('streams.stale'));
    return total;
  }

  async replaceBuildings(buildings: readonly Building[]): Promise<BuildingsReplaced> {
    const map = new BuildingMap(buildings);
    const replace = this.c.writeTransaction((): BuildingsReplaced => {
      this.c.statement(STREAM_SQL.deleteBuildings).run();
      buildings.forEach((b, i) => this.c.statement(STREAM_SQL.insertBuilding).run(...buildingParams(b, i)));
      this.putMeta('streams.generation', newGeneration());
      this.c.statement(STREAM_SQL.clearBuildings).run();
      const mapTable = `create temp table if not exists streams_building_map (${MAP_COLUMNS.join(', ')}, primary key (k))`;
      this.c.db.exec(mapTable);
      const insertMap = this.c.db.prepare(
        `insert into streams_building_map values (${MAP_COLUMNS.map(() => '?').join(', ')})`,
      );
      let mappedEndpoints = 0;
      for (const side of ['sender', 'receiver']) {
        const keys = STREAM_SQL.sideKeys(side);
        for (const by of ['subnet', 'address'] as const) {
          this.c.db.exec('delete from streams_building_map');
          const values = this.c.db
            .prepare(by === 'subnet' ? keys.subnets : keys.addresses)
            .pluck()
            .all() as string[];
          for (const key of values) {
            const b = by === 'subnet' ? map.find(key, null) : map.find(null, key);
            if (b !== undefined) insertMap.run(...mapRow(key, b));
          }
          mappedEndpoints += this.c.db.prepare(STREAM_SQL.remap(side, 'streams_building_map', by)).run().changes;
        }
      }
      this.c.db.exec('drop table streams_building_map');
      return { networks: buildings.length, mappedEndpoints };
    });
    return this.c.retry(() => replace());
  }

  async buildings(): Promise<Building[]> {
    return this.c.retry(() => (this.c.statement(STREAM_SQL.buildings).all() as BuildingsTable[]).map(toBuilding));
  }

  async missingSubnets(minAudioStreams: number): Promise<MissingSubnet[]> {
    const rows = await this.c.retry(
      () => this.c.statement(STREAM_SQL.missingSubnets).all(minAudioStreams) as { subnet: string; n: number }[],
    );
    return rows.map((r) => ({ subnet: r.subnet, audioStreams: Number(r.n) }));
  }

  async readStreams(range: ExportRange, after: StreamCursor | undefined, limit: number): Promise<StoredStream[]> {
    const params: (string | number)[] = [];
    if (range.fromKey !== undefined) params.push(range.fromKey);
    if (range.toKey !== undefined) params.push(range.toKey);
    if (after !== undefined) params.push(after.startKey, after.recordId, after.ordinal);
    params.push(limit);
    return this.c.retry(
      () => this.c.statement(STREAM_SQL.streamPage(range, after !== undefined)).all(...params) as StoredStream[],
    );
  }

  private value(sql: string): string | undefined {
    return (this.c.statement(sql).get() as { value: string } | undefined)?.value;
  }

  private putMeta(key: string, value: string): void {
    this.c.statement(STREAM_SQL.putMeta).run(key, value);
  }
}

/** A head row of a record page. */
export interface RecordRow {
  id: string;
  start_key: string;
  record_json: string;
}

/** A stored record's parts as the row builder takes them. */
export function partsOf(head: RecordRow, sessions: readonly { session_json: string; segments_json: string }[]) {
  return {
    id: head.id,
    startKey: head.start_key,
    recordJson: head.record_json,
    sessions: sessions.map((s) => ({ json: s.session_json, segmentsJson: s.segments_json })),
  };
}
