import type pg from 'pg';
import { HEAD_TABLE, RECORD_TABLES } from '../record-tables.js';

/** The tables partitioned by month of the record's startDateTime (migration 0002): every table a record owns. */
export const PARTITIONED_TABLES: readonly string[] = RECORD_TABLES.map((t) => t.name);

/** The month ('YYYY-MM') a sortable start key falls in. */
export function monthOf(startKey: string): string {
  return startKey.slice(0, 7);
}

/** The month after `month` ('YYYY-MM'). */
export function nextMonth(month: string): string {
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  // December 9999, the last month a record can start in: '10000-01' would sort below it as text, so its partition
  // ends at '9999-13', which sorts after every key of that month.
  if (year === 9999 && m === 12) return '9999-13';
  return m === 12
    ? `${String(year + 1).padStart(4, '0')}-01`
    : `${month.slice(0, 4)}-${String(m + 1).padStart(2, '0')}`;
}

function partitionName(table: string, month: string): string {
  return `${table}_${month.replace('-', '')}`;
}

const DUPLICATE_TABLE = '42P07';
const UNIQUE_VIOLATION = '23505';

/**
 * The monthly partitions of the record tables: created before the first write into a month, dropped whole by
 * retention. Creation runs outside any write transaction, one statement per table, so it never holds a lock on one
 * parent while waiting for another; two instances creating the same month at once both succeed.
 */
export class MonthlyPartitions {
  private readonly known = new Set<string>();

  constructor(private readonly pool: pg.Pool) {}

  /** Makes sure every table has a partition for each month. */
  async ensure(months: Iterable<string>, on: pg.Pool | pg.PoolClient = this.pool): Promise<void> {
    for (const month of months) {
      if (this.known.has(month)) continue;
      for (const table of PARTITIONED_TABLES) {
        const from = month;
        const to = nextMonth(month);
        try {
          await on.query(
            `create table if not exists ${partitionName(table, month)} partition of ${table} ` +
              `for values from ('${from}') to ('${to}')`,
          );
        } catch (error) {
          const code = (error as { code?: string }).code;
          // Another instance created it between our check and our create: what we wanted exists.
          if (code !== DUPLICATE_TABLE && code !== UNIQUE_VIOLATION) throw error;
        }
      }
      this.known.add(month);
    }
  }

  /** Forgets which months exist (after another instance dropped one), so the next ensure() checks again. */
  forget(): void {
    this.known.clear();
  }

  /** The months that have partitions, oldest first. */
  async months(): Promise<string[]> {
    const { rows } = await this.pool.query<{ name: string }>(
      `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = '${HEAD_TABLE.name}'::regclass order by c.relname`,
    );
    return rows.map((r) => `${r.name.slice(-6, -2)}-${r.name.slice(-2)}`);
  }

  /** The name of the head table's partition of a month (to look inside it). */
  recordsPartition(month: string): string {
    return partitionName(HEAD_TABLE.name, month);
  }

  /**
   * Removes a month from every table: each partition is detached concurrently (reads go on meanwhile), then dropped.
   * A detach that an earlier run left half-done is finalised.
   */
  async drop(month: string, on: pg.Pool | pg.PoolClient = this.pool): Promise<void> {
    this.known.delete(month);
    for (const table of PARTITIONED_TABLES) {
      const name = partitionName(table, month);
      const exists = await on.query(`select to_regclass($1) as oid`, [name]);
      if (exists.rows[0].oid === null) continue;
      const attached = await on.query(
        `select inhdetachpending as pending from pg_inherits where inhrelid = $1::regclass`,
        [name],
      );
      if (attached.rows.length > 0) {
        const mode = attached.rows[0].pending === true ? 'finalize' : 'concurrently';
        await on.query(`alter table ${table} detach partition ${name} ${mode}`);
      }
      await on.query(`drop table ${name}`);
    }
  }
}
