import { capabilityHandler } from "../../lib/dispatch.js";
import { identityRoutes } from "../../routes/identity.js";

/** The deployed identity function: one entry for all its routes, each module loaded on its first call. */
export const handler = capabilityHandler(identityRoutes, {
  wechatLogin: () => import("./wechat-login.js"),
  devLogin: () => import("./dev-login.js"),
  getMe: () => import("./get-me.js"),
  updateMyProfile: () => import("./update-my-profile.js"),
  addFamilyMember: () => import("./add-family-member.js"),
  updateFamilyMember: () => import("./update-family-member.js"),
  removeFamilyMember: () => import("./remove-family-member.js"),
  exportMyData: () => import("./export-my-data.js"),
  deleteMyAccount: () => import("./delete-my-account.js"),
  listCentres: () => import("../organisation/list-centres.js"),
  createInvitation: () => import("../organisation/create-invitation.js"),
  claimInvitation: () => import("../organisation/claim-invitation.js"),
  listInvitations: () => import("../organisation/list-invitations.js"),
  revokeInvitation: () => import("../organisation/revoke-invitation.js"),
  listStaff: () => import("../organisation/list-staff.js"),
  updateStaff: () => import("../organisation/update-staff.js"),
  removeStaff: () => import("../organisation/remove-staff.js"),
  updateCentrePopulation: () => import("../organisation/update-centre-population.js"),
  getCentreSettings: () => import("../organisation/get-centre-settings.js"),
  updateCentreSettings: () => import("../organisation/update-centre-settings.js"),
});
