/**
 * The user agents of generated endpoints: Teams clients by platform with a spread of versions (most people on a recent
 * build, a tail on older ones), Skype for Business and Azure Communication Services clients of partners, and the
 * Teams services, each with its `serviceRole` member (https://learn.microsoft.com/graph/api/resources/callrecords-serviceuseragent).
 */
import { pickWeighted, type Weighted } from './distributions.js';
import type { JsonObject } from './graph-values.js';
import type { SeededRandom } from './seeded-random.js';

const CLIENT_UA = '#microsoft.graph.callRecords.clientUserAgent';
const SERVICE_UA = '#microsoft.graph.callRecords.serviceUserAgent';

/** The services that show up as `serviceEndpoint`s, by what they do in a call. */
export type ServiceKind = 'conferencing' | 'gateway' | 'mediation' | 'voicemail' | 'callQueue' | 'autoAttendant';

/** Teams client builds per platform, newest first, with how many people run each; `{v}` is the version. */
const TEAMS_CLIENTS: Readonly<Record<string, { header: string; versions: Weighted<string> }>> = {
  windows: {
    header: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Teams/{v} (Windows 10.0.22631; x64)',
    versions: [
      ['24295.605.3225.8804', 46],
      ['24277.3507.3205.5228', 30],
      ['24243.1309.3132.617', 16],
      ['24152.412.2958.916', 8],
    ],
  },
  macOS: {
    header: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) Teams/{v} (Mac OS X 14.6.1; arm64)',
    versions: [
      ['24295.606.3238.6194', 50],
      ['24277.3502.3161.3000', 35],
      ['24215.1002.3039.5089', 15],
    ],
  },
  web: {
    header:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/130.0.0.0 Edg/130.0.0.0 Teams/{v} (web)',
    versions: [
      ['24295.600.0.0', 70],
      ['24277.500.0.0', 30],
    ],
  },
  iOS: {
    header: 'Teams/{v} (iPhone15,2; iOS 18.1)',
    versions: [
      ['6.23.1', 55],
      ['6.22.0', 30],
      ['6.19.2', 15],
    ],
  },
  android: {
    header: 'Teams/1416/{v} (SM-S911B; Android 14)',
    versions: [
      ['1.0.0.2024223702', 50],
      ['1.0.0.2024203401', 35],
      ['1.0.0.2024143602', 15],
    ],
  },
  roomSystem: {
    header: 'Teams Rooms/{v} (Windows 10.0.19045; x64)',
    versions: [
      ['5.2.115.0', 70],
      ['5.1.25.0', 30],
    ],
  },
  surfaceHub: {
    header: 'Teams/{v} (Surface Hub; Windows 10.0.19045)',
    versions: [['1.7.00.13456', 100]],
  },
};

/** A clientUserAgent for `platform`; partners now and then use Skype for Business or an ACS web app. */
export function clientAgent(rng: SeededRandom, platform: string, partner = false): JsonObject {
  const family = partner
    ? pickWeighted(rng, [
        ['teams', 70],
        ['skypeForBusiness', 20],
        ['azureCommunicationServices', 10],
      ] as const)
    : 'teams';
  if (family === 'skypeForBusiness') {
    const version = rng.pick(['16.0.5435.1000', '16.0.5197.1000']);
    return agent(`UCCAPI/${version} OC/${version} (Skype for Business)`, version, 'windows', family, null);
  }
  if (family === 'azureCommunicationServices') {
    return agent('azsdk-js-communication-calling/1.28.2 (Chrome 130.0)', '1.28.2', 'web', family, rng.guid());
  }
  const client = TEAMS_CLIENTS[platform] ?? TEAMS_CLIENTS.windows!;
  const version = pickWeighted(rng, client.versions);
  return agent(client.header.replace('{v}', version), version, platform, 'teams', null);
}

function agent(
  headerValue: string,
  applicationVersion: string,
  platform: string,
  productFamily: string,
  communicationServiceId: string | null,
): JsonObject {
  return {
    '@odata.type': CLIENT_UA,
    headerValue,
    applicationVersion,
    platform,
    productFamily,
    azureADAppId: null,
    communicationServiceId,
  };
}

function service(headerValue: string, applicationVersion: string, role: string): JsonObject {
  return { '@odata.type': SERVICE_UA, headerValue, applicationVersion, role };
}

/** One serviceUserAgent per service kind, with the serviceRole member Graph reports for it. */
export const SERVICE_AGENTS: Readonly<Record<ServiceKind, JsonObject>> = {
  conferencing: service(
    'AV-MCU/2024.44.1.3 (Microsoft Teams conferencing server)',
    '2024.44.1.3',
    'skypeForBusinessAudioVideoMcu',
  ),
  gateway: service('Microsoft.PSTNHub.SIPProxy v.2024.10.28.4', '2024.10.28.4', 'gateway'),
  mediation: service('RTCC/7.0.0.0 (Media Processor)', '7.0.0.0', 'mediationServer'),
  voicemail: service('Microsoft.Skype.Voicemail/2024.10.1', '2024.10.1', 'voicemail'),
  callQueue: service('Microsoft.Skype.CallQueues/2024.9.30', '2024.9.30', 'skypeForBusinessCallQueues'),
  autoAttendant: service('Microsoft.Skype.AutoAttendant/2024.9.30', '2024.9.30', 'skypeForBusinessAutoAttendant'),
};
