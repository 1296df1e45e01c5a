/**
 * What a loaded page's Performance timeline says, read in Chromium: its page and resource loads (Resource Timing) and
 * the time of a mark. The benchmarks' own code runs in Node, so the browser's timing types are described here.
 */
import type { Page } from 'playwright-core';

/** A page or resource load: its URL, when it ended and its size on the wire (headers included). */
export interface LoadTiming {
  kind: 'navigation' | 'resource';
  url: string;
  /** Milliseconds from navigation start. */
  startTime: number;
  duration: number;
  responseEnd: number;
  transferSize: number;
}

/** The page's loads so far, and the time (from navigation start) of each mark set so far, by name. */
export async function pageTiming(page: Page): Promise<{ loads: LoadTiming[]; marks: Record<string, number> }> {
  return page.evaluate(() => {
    type Entry = { entryType: string; name: string; startTime: number; duration: number };
    type Timing = Entry & { responseEnd: number; transferSize: number };
    const entries = performance.getEntries() as unknown as Entry[];
    const loads = entries
      .filter((e): e is Timing => e.entryType === 'navigation' || e.entryType === 'resource')
      .map((e) => ({
        kind: e.entryType as 'navigation' | 'resource',
        url: e.name,
        startTime: e.startTime,
        duration: e.duration,
        responseEnd: e.responseEnd,
        transferSize: e.transferSize,
      }));
    const marks: Record<string, number> = {};
    for (const e of entries) if (e.entryType === 'mark') marks[e.name] ??= e.startTime;
    return { loads, marks };
  });
}
