/** Configuration read from the environment, once per cold start. */
const read = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`Missing environment variable ${name}`);
  return value;
};

export const env = {
  get stage() {
    return read("STAGE");
  },
  get tableName() {
    return read("TABLE_NAME");
  },
  /** Dev-only behaviour (dev login) needs an explicit local stage: a missing STAGE fails closed. */
  get isLocal() {
    return process.env.STAGE === "local";
  },
};
