/**
 * The sizes of the dashboard cases (bench/dashboard.ts): the full run opens a 1,000,000-record archive (on PostgreSQL too with
 * BENCH_DASHBOARD_POSTGRES=1: some 20 GB more disk), BENCH_QUICK=1 a 20,000-record one; five cold loads each.
 */
export function dashboardSettings(quick: boolean): { records: number[]; postgres: boolean; loads: number } {
  return {
    records: [quick ? 20_000 : 1_000_000],
    postgres: process.env.BENCH_DASHBOARD_POSTGRES === '1',
    loads: 5,
  };
}
