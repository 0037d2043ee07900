import { capabilityHandler } from "../../lib/dispatch.js";
import { contractsRoutes } from "../../routes/contracts.js";

/** The deployed contracts function: one entry for all its routes, each module loaded on its first call. */
export const handler = capabilityHandler(contractsRoutes, {
  listTeams: () => import("./list-teams.js"),
  createTeam: () => import("./create-team.js"),
  updateTeamCapacity: () => import("./update-team-capacity.js"),
  listPackages: () => import("./list-packages.js"),
  applyContract: () => import("./apply-contract.js"),
  getContract: () => import("./get-contract.js"),
  listResidentContracts: () => import("./list-resident-contracts.js"),
  listTeamContracts: () => import("./list-team-contracts.js"),
  approveContract: () => import("./approve-contract.js"),
  rejectContract: () => import("./reject-contract.js"),
  withdrawContract: () => import("./withdraw-contract.js"),
  cancelSwitch: () => import("./cancel-switch.js"),
  requestTermination: () => import("./request-termination.js"),
  confirmTermination: () => import("./confirm-termination.js"),
  recordService: () => import("./record-service.js"),
  listContractServices: () => import("./list-contract-services.js"),
  listContractEvents: () => import("./list-contract-events.js"),
  teamWorklist: () => import("./team-worklist.js"),
  revealContact: () => import("./reveal-contact.js"),
  listContactAudit: () => import("./list-contact-audit.js"),
  residentPlan: () => import("./resident-plan.js"),
});
