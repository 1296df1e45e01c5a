/** Graph's page sizes for call records (spec §8): `Prefer: odata.maxpagesize` may lower them, never raise them. */
export const MAX_RECORDS_PAGE = 60;
export const MAX_SESSIONS_PAGE = 60;
export const MAX_PARTICIPANTS_PAGE = 130;
