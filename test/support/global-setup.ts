import type { TestProject } from "vitest/node";
import { forgetH5Build } from "./browser.js";
import { localStack } from "./local-stack.js";

/** The stack the backend project's API tests run against: as deployed, no injected faults. */
const api = localStack("api");

export async function setup(project: TestProject) {
  forgetH5Build();
  await api.setup(project);
}
export const teardown = api.teardown;
