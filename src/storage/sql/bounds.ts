/** Keys below and above every sortable UTC timestamp (years 0001–9999), for open-ended ranges. */
export const EXPORT_MIN_KEY = '0000';
export const EXPORT_MAX_KEY = '9999-99';
