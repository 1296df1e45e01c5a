/** The default request body limit: 32 MiB (`--body-limit`). Larger files go through `callrecords import`. */
export const DEFAULT_BODY_LIMIT = 32 * 1024 * 1024;
