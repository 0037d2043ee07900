import { View } from "@tarojs/components";
import type { ReactNode } from "react";
import { formatDateTime, termText, yuan } from "../lib/contracts";
import {
  CONTRACT_STATUS_COLOURS,
  CONTRACT_STATUS_LABELS,
  GROUP_LABELS,
  labelOf,
  SEX_LABELS,
  TERMINATION_REASON_LABELS,
} from "../lib/labels";
import type { Contract } from "../services/types";
import { EntitlementList } from "./EntitlementList";
import { Tag } from "./ui";

export function StatusTag({
  contract,
  id,
}: {
  contract: Pick<Contract, "status" | "statusName">;
  id?: string;
}) {
  return (
    <View className="status-tag" id={id}>
      <Tag {...CONTRACT_STATUS_COLOURS[contract.status]} round>
        {contract.statusName || labelOf(CONTRACT_STATUS_LABELS, contract.status)}
      </Tag>
    </View>
  );
}

function Row({ label, id, children }: { label: string; id?: string; children: ReactNode }) {
  return (
    <View className="result__row">
      <View className="result__label">{label}</View>
      <View className="result__value" id={id}>
        {children}
      </View>
    </View>
  );
}

export interface ContractSummaryProps {
  contract: Contract;
  /** Stable id prefix, e.g. `contract-<contractId>`; rows get `<prefix>-team`, `<prefix>-start`, … */
  idPrefix: string;
  /** The team's view shows the (masked) resident; the resident's own view does not need to. */
  showResident?: boolean;
  /** Shown at the top right (actions are rendered by the page below). */
  title?: ReactNode;
}

/** A contract card's body: status, team, term, packages and money, fulfilment, termination. */
export function ContractSummary({ contract, idPrefix, showResident, title }: ContractSummaryProps) {
  const resident = contract.resident;
  const showProgress = contract.status === "active" || contract.status === "terminating";
  return (
    <View className="contract">
      <View className="contract__head">
        <View className="contract__title" id={`${idPrefix}-title`}>
          {title ?? contract.teamName}
        </View>
        <StatusTag contract={contract} id={`${idPrefix}-status`} />
      </View>

      {contract.overdue ? (
        <View className="overdue" id={`${idPrefix}-overdue`}>
          超过72小时未审核
        </View>
      ) : null}

      {showResident && resident ? (
        <Row label="居民" id={`${idPrefix}-resident`}>
          {resident.name} · {labelOf(SEX_LABELS, resident.sex)} · {resident.birthDate}
          <View className="result__sub">证件：{resident.idNumberMasked}</View>
          {resident.phoneMasked ? <View className="result__sub">手机：{resident.phoneMasked}</View> : null}
          {resident.groups.length ? (
            <View className="tags">
              {resident.groups.map((g) => (
                <View key={g} className="pill">
                  {labelOf(GROUP_LABELS, g)}
                </View>
              ))}
            </View>
          ) : null}
        </Row>
      ) : null}
      {showResident ? <Row label="签约团队">{contract.teamName}</Row> : null}
      {contract.startDate ? (
        <>
          <Row label="开始日期" id={`${idPrefix}-start`}>
            {contract.startDate}
          </Row>
          <Row label="结束日期" id={`${idPrefix}-end`}>
            {contract.endDate}
          </Row>
        </>
      ) : (
        <Row label="服务期限" id={`${idPrefix}-term`}>
          {termText(contract)}
        </Row>
      )}
      <Row label="申请时间">{formatDateTime(contract.appliedAt)}</Row>
      <Row label="服务包" id={`${idPrefix}-packages`}>
        {contract.packages.map((p) => (
          <View key={p.packageId}>
            {p.name}
            {p.feeFen > 0 ? (
              <View className="result__sub">
                费用 {yuan(p.feeFen)} · 补助 {yuan(p.subsidyFen)} · 自付 {yuan(p.residentPaysFen)}
              </View>
            ) : p.name.includes("免费") ? null : (
              "（免费）"
            )}
          </View>
        ))}
      </Row>
      <Row label="费用合计" id={`${idPrefix}-fee`}>
        {yuan(contract.feeFen)}
        <View className="result__sub">
          政府补助 {yuan(contract.subsidyFen)} · 个人自付 {yuan(contract.residentPaysFen)}
        </View>
      </Row>

      {contract.rejectReason ? (
        <View className="notice notice--error" id={`${idPrefix}-reject-reason`}>
          拒签原因：{contract.rejectReason}
        </View>
      ) : null}
      {contract.termination && contract.status === "terminating" ? (
        <View className="notice notice--warn" id={`${idPrefix}-termination`}>
          {contract.termination.requestedBy === "team" ? "签约团队" : "居民"}于{" "}
          {formatDateTime(contract.termination.requestedAt)} 申请解约，原因：
          {labelOf(TERMINATION_REASON_LABELS, contract.termination.reason)}
          {contract.termination.note ? `（${contract.termination.note}）` : ""}
        </View>
      ) : null}

      {showProgress && contract.entitlements.length ? (
        <View className="contract__section">
          <View className="contract__section-title">本年度服务完成情况</View>
          <EntitlementList idPrefix={`${idPrefix}-entitlement`} entitlements={contract.entitlements} />
        </View>
      ) : null}
    </View>
  );
}
