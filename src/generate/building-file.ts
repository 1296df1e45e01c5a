/**
 * The building file of a generated organisation, in CQD's format
 * (https://learn.microsoft.com/microsoftteams/cqd-upload-tenant-building-data): CSV without a header, 15 columns, one
 * line per office subnet. The last subnet of every other site is left out, so a demo shows both buildings and the
 * missing-subnet report; home and mobile networks are never in it (they are outside the corporate network).
 */
import { createDirectory } from './directory.js';
import { seededRandom } from './seeded-random.js';

/** Where each generated site is: city, zip code, country, state, region. */
const PLACES: Readonly<Record<string, readonly [string, string, string, string, string]>> = {
  'Seattle HQ': ['Seattle', '98101', 'US', 'WA', 'North America'],
  London: ['London', 'EC2A 2BB', 'GB', 'England', 'EMEA'],
  Munich: ['Munich', '80331', 'DE', 'Bavaria', 'EMEA'],
  Bangalore: ['Bengaluru', '560001', 'IN', 'Karnataka', 'APAC'],
  'Sao Paulo': ['Sao Paulo', '01310-100', 'BR', 'SP', 'LATAM'],
};

/** The building file (CSV text) for the organisation of `seed`: most office subnets, a few left out. */
export function generatedBuildingFile(seed: number): string {
  const directory = createDirectory(seededRandom(seed));
  const sites = [...new Set([...directory.employees, ...directory.rooms].flatMap((p) => (p.site ? [p.site] : [])))];
  sites.sort((a, b) => a.name.localeCompare(b.name));
  const lines: string[] = [];
  sites.forEach((site, s) => {
    const [city, zip, country, state, region] = PLACES[site.name] ?? [site.name, '', '', '', ''];
    const kept = s % 2 === 0 && site.subnets.length > 1 ? site.subnets.slice(0, -1) : site.subnets;
    kept.forEach((subnet, k) => {
      const floor = `${site.name} floor ${k + 1}`;
      lines.push(
        [
          subnet,
          floor,
          24,
          site.name,
          'Contoso',
          'Office',
          'Open plan',
          city,
          zip,
          country,
          state,
          region,
          1,
          1,
          0,
        ].join(','),
      );
    });
  });
  return lines.join('\n') + '\n';
}
