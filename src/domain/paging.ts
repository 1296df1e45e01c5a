/** Graph's page sizes for call records (https://learn.microsoft.com/graph/api/callrecords-callrecord-get, https://learn.microsoft.com/graph/paging): `Prefer: odata.maxpagesize` may lower them, never raise them. */
export const MAX_RECORDS_PAGE = 60;
export const MAX_SESSIONS_PAGE = 60;
export const MAX_PARTICIPANTS_PAGE = 130;
