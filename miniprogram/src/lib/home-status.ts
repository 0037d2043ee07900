/**
 * The resident's home as her status page: for each person the account signs for, where the
 * contract stands, who the doctor is, the next visit and the unread notices. Pure, so component
 * tests build the cards from fixtures.
 */
import type { Appointment, Centre, Contract, InboxItem, Team } from "../services/types";
import { isUpcoming } from "./appointments";
import { openContractOf } from "./contracts";
import type { Person } from "./people";

export interface StatusCard {
  person: Person;
  /** The pending or running contract, else the latest one (a rejection to read), else none. */
  contract: Contract | null;
  headline: string;
  detail: string | null;
  doctorName: string | null;
  servicePhone: string | null;
  nextAppointment: Appointment | null;
  /** Where to go for the next appointment. */
  place: string | null;
  unread: number;
}

export const REVIEW_HINT = "通常72小时内审核";

function currentContract(contracts: readonly Contract[]): Contract | null {
  const open = openContractOf(contracts);
  if (open) return open;
  const latest = [...contracts].sort((a, b) => b.appliedAt.localeCompare(a.appliedAt))[0];
  return latest ?? null;
}

function stateText(c: Contract | null): { headline: string; detail: string | null } {
  if (!c) return { headline: "尚未签约家庭医生", detail: "选择一个家庭医生团队，在线签约" };
  switch (c.status) {
    case "pending":
      return {
        headline: `待审核 · 已向${c.teamName}提交申请`,
        detail: c.overdue ? "已超过72小时未审核，可联系团队或中心询问" : REVIEW_HINT,
      };
    case "active":
      return { headline: `已签约 · ${c.teamName}`, detail: `服务期 ${c.startDate} 至 ${c.endDate}` };
    case "scheduled":
      return { headline: `改签待生效 · ${c.teamName}`, detail: `${c.startDate} 起生效` };
    case "terminating":
      return { headline: `解约中 · ${c.teamName}`, detail: "等待另一方确认解约" };
    case "rejected":
      return {
        headline: "签约申请未通过",
        detail: c.rejectReason ? `原因：${c.rejectReason}。可重新选择团队申请` : "可重新选择团队申请",
      };
    default:
      return { headline: `${c.statusName} · ${c.teamName}`, detail: "可重新签约家庭医生" };
  }
}

/** Home visits happen at home; every other service at the centre of the resident's team. */
export function placeOf(appointment: Appointment, centreName: string | null): string {
  if (appointment.serviceType === "home_visit") return "上门服务（您登记的住址）";
  return centreName ?? "签约团队所在社区卫生服务中心";
}

export function statusCards(input: {
  people: readonly Person[];
  contracts: Record<string, readonly Contract[]>;
  teams: readonly Team[];
  centres: readonly Centre[];
  appointments: readonly Appointment[];
  inbox: readonly InboxItem[];
  now?: Date;
}): StatusCard[] {
  const now = input.now ?? new Date();
  return input.people.map((person) => {
    const contract = currentContract(input.contracts[person.residentId] ?? []);
    const running = contract && contract.status !== "rejected" && contract.status !== "withdrawn";
    const team = running ? input.teams.find((t) => t.teamId === contract.teamId) : undefined;
    const centre = team ? input.centres.find((c) => c.centreId === team.centreId) : undefined;
    const next =
      input.appointments
        .filter((a) => a.residentId === person.residentId && isUpcoming(a, now))
        .sort((a, b) => a.startsAt.localeCompare(b.startsAt))[0] ?? null;
    // One entry per notice: a notice reaching two family members is one thing to read.
    const unreadNotices = new Set(
      input.inbox
        .filter((m) => m.residentId === person.residentId && m.noticeId && !m.read)
        .map((m) => m.noticeId ?? m.messageId),
    );
    return {
      person,
      contract,
      ...stateText(contract),
      doctorName: team?.members.find((m) => m.role === "doctor")?.name ?? null,
      servicePhone: team?.servicePhone ?? null,
      nextAppointment: next,
      place: next ? placeOf(next, centre?.name ?? null) : null,
      unread: unreadNotices.size,
    };
  });
}
