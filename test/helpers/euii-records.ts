import type { Json } from './json.js';
import { makeRecord } from './records.js';

/** Values that identify a person, planted in a record by `euiiRecord`; none may survive a purge. */
export function euiiValues(tag: string) {
  const n = [...tag].reduce((sum, c) => sum + c.charCodeAt(0), 0) % 200;
  return {
    ip: `203.0.113.${n + 10}`,
    reflexive: `198.51.100.${n + 20}`,
    relay: `192.0.2.${n + 30}`,
    hopIp: `100.64.7.${n + 40}`,
    mac: `3c-22-fb-${tag}-aa-01`,
    bssid: `f0-9f-c2-${tag}-bb-02`,
    displayName: `Alice Example ${tag}`,
    upn: `alice.${tag}@contoso.example`,
    machine: `LAPTOP-${tag.toUpperCase()}-7731`,
    feedback: `the audio of ${tag} was choppy at home`,
    phone: `+1425555${n}123`,
    guestEmail: `guest.${tag}@fabrikam.example`,
  };
}

/** What quality analytics needs, planted beside the EUII; all of it must survive a purge. */
export const ANALYTICS = {
  subnet: '203.0.113.0',
  connectionType: 'wifi',
  averageJitter: 'PT0.016S',
  captureDeviceName: 'Headset Microphone (Jabra Evolve 65)',
  userId: 'user-guid-1',
};

/**
 * A valid callRecord (helpers/records.ts) carrying every kind of EUII of docs/privacy.md: network addresses in a
 * segment's media and a trace-route hop, names and UPNs in identities (user, phone, guest; associatedIdentity),
 * the machine name of an endpoint and feedback text.
 */
export function euiiRecord(id: string, tag: string, start: string, version = 1): Record<string, Json> {
  const v = euiiValues(tag);
  const record: Json = makeRecord({ id, start, version, participantIds: [ANALYTICS.userId, `${id}-phone`] });
  record.organizer_v2.identity.user.displayName = v.displayName;
  record.participants_v2[0].identity.user = {
    id: ANALYTICS.userId,
    displayName: v.displayName,
    userPrincipalName: v.upn,
    tenantId: 'tenant-1',
  };
  record.participants_v2[1].identity = {
    phone: { id: v.phone, displayName: v.phone },
    guest: { id: 'g1', displayName: 'Guest', email: v.guestEmail },
  };
  const session = record.sessions[0];
  session.caller.name = v.machine;
  session.caller.associatedIdentity = { id: ANALYTICS.userId, displayName: v.displayName, userPrincipalName: v.upn };
  session.caller.feedback = { rating: 'poor', text: v.feedback, tokens: { NoSound: false, Echo: true } };
  const media = session.segments[0].media[0];
  media.callerNetwork = {
    connectionType: ANALYTICS.connectionType,
    ipAddress: v.ip,
    reflexiveIPAddress: v.reflexive,
    relayIPAddress: v.relay,
    subnet: ANALYTICS.subnet,
    macAddress: v.mac,
    basicServiceSetIdentifier: v.bssid,
    traceRouteHops: [{ hopCount: 1, ipAddress: v.hopIp, roundTripTime: 'PT0.002S' }],
  };
  media.callerDevice = { captureDeviceName: ANALYTICS.captureDeviceName };
  media.streams[0].averageJitter = ANALYTICS.averageJitter;
  return record;
}
