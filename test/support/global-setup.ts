import { localStack } from "./local-stack.js";

/** The stack the backend project's API tests run against: as deployed, no injected faults. */
export const { setup, teardown } = localStack("api");
