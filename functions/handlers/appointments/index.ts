import { capabilityHandler } from "../../lib/dispatch.js";
import { appointmentsRoutes } from "../../routes/appointments.js";

/** The deployed appointments function: one entry for all its routes, each module loaded on its first call. */
export const handler = capabilityHandler(appointmentsRoutes, {
  createSchedule: () => import("./create-schedule.js"),
  listSlots: () => import("./list-slots.js"),
  closeSlot: () => import("./close-slot.js"),
  closeDay: () => import("./close-day.js"),
  bookAppointment: () => import("./book-appointment.js"),
  cancelAppointment: () => import("./cancel-appointment.js"),
  updateAppointmentStatus: () => import("./update-appointment-status.js"),
  listMyAppointments: () => import("./list-my-appointments.js"),
  listTeamAppointments: () => import("./list-team-appointments.js"),
  joinWaitlist: () => import("./join-waitlist.js"),
  listMyWaitlistOffers: () => import("./list-my-waitlist-offers.js"),
  acceptWaitlistOffer: () => import("./accept-waitlist-offer.js"),
  requestHomeVisit: () => import("./request-home-visit.js"),
  scheduleHomeVisit: () => import("./schedule-home-visit.js"),
  declineHomeVisit: () => import("./decline-home-visit.js"),
  listHomeVisitRequests: () => import("./list-home-visit-requests.js"),
});
