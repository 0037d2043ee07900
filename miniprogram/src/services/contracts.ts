import { request } from "./request";
import type {
  ApplyContractRequest,
  Contract,
  ContractEvent,
  ContractStatus,
  ListResponse,
  RecordServiceRequest,
  ServicePackage,
  ServiceRecord,
  Team,
  TerminationRequest,
} from "./types";

const enc = encodeURIComponent;

/** listTeams — the centre's family-doctor teams with their remaining capacity. */
export function listTeams(centreId: string, options: { silent?: boolean } = {}): Promise<ListResponse<Team>> {
  return request<ListResponse<Team>>({
    path: `/v1/centres/${enc(centreId)}/teams`,
    query: { limit: 100 },
    silent: options.silent,
  });
}

/** listPackages — the centre's service packages (the basic one included). */
export function listPackages(centreId: string): Promise<ListResponse<ServicePackage>> {
  return request<ListResponse<ServicePackage>>({
    path: `/v1/centres/${enc(centreId)}/packages`,
    query: { limit: 100 },
  });
}

/** applyContract — 409 ALREADY_SIGNED / TEAM_FULL / OUT_OF_AREA are shown by the sign page itself. */
export function applyContract(body: ApplyContractRequest): Promise<Contract> {
  return request<Contract>({ method: "POST", path: "/v1/contracts", data: body, silent: true });
}

export function getContract(contractId: string): Promise<Contract> {
  return request<Contract>({ path: `/v1/contracts/${enc(contractId)}` });
}

export function listResidentContracts(
  residentId: string,
  options: { silent?: boolean } = {},
): Promise<ListResponse<Contract>> {
  return request<ListResponse<Contract>>({
    path: `/v1/residents/${enc(residentId)}/contracts`,
    query: { limit: 100 },
    silent: options.silent,
  });
}

export function listTeamContracts(
  teamId: string,
  options: { status?: ContractStatus; cursor?: string | null; limit?: number; q?: string } = {},
): Promise<ListResponse<Contract>> {
  return request<ListResponse<Contract>>({
    path: `/v1/teams/${enc(teamId)}/contracts`,
    query: {
      status: options.status,
      limit: options.limit ?? 20,
      cursor: options.cursor ?? undefined,
      q: options.q || undefined,
    },
  });
}

export function approveContract(contractId: string): Promise<Contract> {
  return request<Contract>({ method: "POST", path: `/v1/contracts/${enc(contractId)}/approve`, data: {} });
}

export function rejectContract(contractId: string, reason: string): Promise<Contract> {
  return request<Contract>({
    method: "POST",
    path: `/v1/contracts/${enc(contractId)}/reject`,
    data: { reason },
  });
}

export function withdrawContract(contractId: string): Promise<Contract> {
  return request<Contract>({ method: "POST", path: `/v1/contracts/${enc(contractId)}/withdraw`, data: {} });
}

export function requestTermination(contractId: string, body: TerminationRequest): Promise<Contract> {
  return request<Contract>({
    method: "POST",
    path: `/v1/contracts/${enc(contractId)}/termination`,
    data: body,
  });
}

export function confirmTermination(contractId: string): Promise<Contract> {
  return request<Contract>({
    method: "POST",
    path: `/v1/contracts/${enc(contractId)}/termination/confirm`,
    data: {},
  });
}

/** recordService — the Idempotency-Key makes a retried submit record the service once. */
export function recordService(
  contractId: string,
  body: RecordServiceRequest,
  idempotencyKey: string,
): Promise<ServiceRecord> {
  return request<ServiceRecord>({
    method: "POST",
    path: `/v1/contracts/${enc(contractId)}/services`,
    data: body,
    header: { "Idempotency-Key": idempotencyKey },
  });
}

export function listContractServices(contractId: string): Promise<ListResponse<ServiceRecord>> {
  return request<ListResponse<ServiceRecord>>({
    path: `/v1/contracts/${enc(contractId)}/services`,
    query: { limit: 100 },
  });
}

export function listContractEvents(contractId: string): Promise<ListResponse<ContractEvent>> {
  return request<ListResponse<ContractEvent>>({ path: `/v1/contracts/${enc(contractId)}/events` });
}
