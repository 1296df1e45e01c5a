/**
 * Earlier versions of a generated record, as Graph issues them while telemetry arrives (https://learn.microsoft.com/graph/api/resources/callrecords-callrecord, `version`): version 1 has the
 * sessions but no stream metrics and no device data yet; a middle version has the metrics but not yet the users'
 * feedback; the last version is complete. Each version has a higher `version` and a later `lastModifiedDateTime`,
 * all after `endDateTime`.
 */
import type { JsonObject } from './graph-values.js';
import type { GeneratedCall } from './call-records.js';

/** Every version of the call in order, the complete record last. */
export function* versionsOf(call: GeneratedCall): Generator<JsonObject> {
  const count = call.versionTimes.length;
  for (let v = 1; v < count; v++) {
    yield {
      ...call.record,
      version: v,
      lastModifiedDateTime: call.versionTimes[v - 1],
      sessions: (call.record.sessions as JsonObject[]).map((s) => partialSession(s, v === 1)),
    };
  }
  yield call.record;
}

function partialSession(session: JsonObject, withoutMetrics: boolean): JsonObject {
  return {
    ...session,
    caller: withoutFeedback(session.caller as JsonObject),
    callee: withoutFeedback(session.callee as JsonObject),
    segments: (session.segments as JsonObject[]).map((segment) => ({
      ...segment,
      caller: withoutFeedback(segment.caller as JsonObject),
      callee: withoutFeedback(segment.callee as JsonObject),
      media: withoutMetrics ? (segment.media as JsonObject[]).map(mediaWithoutMetrics) : segment.media,
    })),
  };
}

function withoutFeedback(endpoint: JsonObject): JsonObject {
  return endpoint.feedback === undefined || endpoint.feedback === null ? endpoint : { ...endpoint, feedback: null };
}

function mediaWithoutMetrics(media: JsonObject): JsonObject {
  return {
    ...media,
    callerDevice: null,
    calleeDevice: null,
    streams: (media.streams as JsonObject[]).map((s) => ({
      streamId: s.streamId,
      streamDirection: s.streamDirection,
      startDateTime: s.startDateTime,
      endDateTime: s.endDateTime,
    })),
  };
}
