/** A parsed JSON body as tests read it: navigated field by field and asserted on, so its shape is not typed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the one place tests opt out of typing response JSON
export type Json = any;
