import { QueryCommand } from "@aws-sdk/client-dynamodb";
import { keys } from "../../functions/data/keys.js";
import { localClient } from "../../infra/local/dynamodb-local.js";
import { addDays, todayInChina } from "../../shared/dates.js";
import { api, eventually, stack } from "./api.js";
import { storeItem } from "./stored.js";

export const tomorrow = () => addDays(todayInChina(), 1);

/** Publishes a one-day schedule and returns its slots (as listSlots shows them). */
export async function publish(
  teamId: string,
  doctor: string,
  options: {
    date?: string;
    startTime?: string;
    endTime?: string;
    slotMinutes?: number;
    capacity?: number;
    serviceType?: string;
  } = {},
) {
  const date = options.date ?? tomorrow();
  const body = {
    serviceType: options.serviceType ?? "consultation",
    startDate: date,
    endDate: date,
    weekdays: [1, 2, 3, 4, 5, 6, 7],
    startTime: options.startTime ?? "08:00",
    endTime: options.endTime ?? "08:30",
    slotMinutes: options.slotMinutes ?? 30,
    capacityPerSlot: options.capacity ?? 5,
  };
  const created = await api("POST", `/v1/teams/${teamId}/schedules`, { token: doctor, body });
  if (created.status !== 201) throw new Error(`schedule: ${JSON.stringify(created.body)}`);
  // The slot list reads an index: wait until this schedule's new slots show.
  const slots = await eventually(
    () =>
      api(
        "GET",
        `/v1/teams/${teamId}/slots?from=${date}&to=${date}&serviceType=${body.serviceType}&limit=100`,
        {
          token: doctor,
        },
      ),
    (list) => list.body.items.length >= created.body.slotsCreated,
  );
  return slots.body.items as { slotId: string; startsAt: string; remaining: number; capacity: number }[];
}

/** China wall-clock date and HH:mm of an instant. */
export function chinaClock(instant: Date) {
  const shifted = new Date(instant.getTime() + 8 * 3_600_000).toISOString();
  return { date: shifted.slice(0, 10), time: shifted.slice(11, 16) };
}

/** A 15-minute slot starting 10–60 minutes from now (never crossing midnight). */
export function soonWindow(now = new Date()) {
  let start = new Date(Math.ceil((now.getTime() + 10 * 60_000) / 300_000) * 300_000);
  if (chinaClock(start).time >= "23:45")
    start = new Date(`${addDays(chinaClock(start).date, 1)}T00:00:00+08:00`);
  const end = new Date(start.getTime() + 15 * 60_000);
  return {
    date: chinaClock(start).date,
    startTime: chinaClock(start).time,
    endTime: chinaClock(end).time,
    start,
  };
}

const ddb = () => localClient(stack().dynamoEndpoint);

export async function countItems(pk: string, skPrefix: string) {
  const out = await ddb().send(
    new QueryCommand({
      TableName: stack().tableName,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :sk)",
      ExpressionAttributeValues: { ":pk": { S: pk }, ":sk": { S: skPrefix } },
    }),
  );
  return out.Items ?? [];
}

export async function slotCounter(slotId: string) {
  const out = await countItems(`SLOT#${slotId}`, "SLOT");
  return Number(out[0]?.booked?.N ?? Number.NaN);
}

export async function inboxTitles(residentId: string) {
  return (await countItems(`INBOX#${residentId}`, "MSG#")).map((i) => i.title?.S ?? "");
}

/** A visit of yesterday nobody recorded, as the booking left it (the day's closing job will close it). */
export async function pastVisit(teamId: string, residentId: string) {
  const yesterday = addDays(todayInChina(), -1);
  const appointmentId = `a_wl_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const startsAt = new Date(`${yesterday}T09:00:00+08:00`).toISOString();
  await storeItem({
    ...keys.appointment(appointmentId),
    ...keys.appointmentByResident(residentId, startsAt, appointmentId),
    ...keys.appointmentByTeamDay(teamId, yesterday, startsAt, appointmentId),
    type: "Appointment",
    appointmentId,
    slotId: `s_past_${appointmentId}`,
    residentId,
    residentName: "测试居民",
    teamId,
    centreId: "c_demo",
    serviceType: "consultation",
    date: yesterday,
    startsAt,
    endsAt: new Date(`${yesterday}T09:15:00+08:00`).toISOString(),
    status: "booked",
    bookedByUserId: "u_test",
    createdAt: startsAt,
    updatedAt: startsAt,
  });
  await storeItem({
    ...keys.openVisit(yesterday, teamId, appointmentId),
    type: "OpenVisit",
    appointmentId,
    teamId,
  });
  await storeItem({ ...keys.openBookings(residentId), type: "OpenBookings", open: 1 });
  return appointmentId;
}
