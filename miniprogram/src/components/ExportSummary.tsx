import { View } from "@tarojs/components";
import type { ReactNode } from "react";
import { formatDateTime } from "../lib/contracts";
import {
  GROUP_LABELS,
  ID_TYPE_LABELS,
  labelOf,
  RELATION_LABELS,
  ROLE_LABELS,
  SEX_LABELS,
} from "../lib/labels";
import type { ExportData } from "../services/types";

function Row({ label, children, id }: { label: string; children: ReactNode; id?: string }) {
  return (
    <View className="result__row">
      <View className="result__label">{label}</View>
      <View className="result__value" id={id}>
        {children}
      </View>
    </View>
  );
}

const groupsText = (groups: readonly string[]) =>
  groups.length ? groups.map((g) => labelOf(GROUP_LABELS, g)).join("、") : "无";

/**
 * 导出我的数据, readable: what we hold about her and the family members she acts for, in Chinese,
 * identifiers masked as everywhere. The JSON itself is offered as a download beside it.
 */
export function ExportSummary({ data }: { data: ExportData }) {
  const { profile, family, user } = data;
  return (
    <View id="my-export-summary">
      <Row label="导出时间" id="export-time">
        {formatDateTime(data.exportedAt)}
      </Row>
      <Row label="账号身份" id="export-roles">
        {user.roles.map((r) => labelOf(ROLE_LABELS, r)).join("、")}
      </Row>
      {profile ? (
        <>
          <View className="section-title">本人信息</View>
          <Row label="姓名" id="export-name">
            {profile.name}
          </Row>
          <Row label="证件">
            {labelOf(ID_TYPE_LABELS, profile.idType)} {profile.idNumberMasked}
          </Row>
          <Row label="手机号">{profile.phoneMasked ?? "未登记"}</Row>
          <Row label="出生日期 / 性别">
            {profile.birthDate} · {labelOf(SEX_LABELS, profile.sex)}
          </Row>
          <Row label="重点人群">{groupsText(profile.groups)}</Row>
          <Row label="住址">{profile.address}</Row>
          <Row label="隐私政策" id="export-consent">
            版本 {profile.consents.privacyPolicyVersion}，同意于{" "}
            {formatDateTime(profile.consents.privacyAcceptedAt)}
          </Row>
          <Row label="健康信息授权">
            {profile.consents.healthData
              ? `已同意（${formatDateTime(profile.consents.healthDataAcceptedAt)}）`
              : "未同意"}
          </Row>
        </>
      ) : (
        <View className="muted">尚未登记本人实名信息。</View>
      )}
      <View className="section-title">代办的家庭成员（{family.length} 位）</View>
      {family.length === 0 ? <View className="muted">无</View> : null}
      {family.map((m) => (
        <View key={m.residentId} className="member" id={`export-member-${m.residentId}`}>
          <View className="member__head">
            <View className="member__name">{m.name}</View>
            <View className="member__relation">{labelOf(RELATION_LABELS, m.relation)}</View>
          </View>
          <View className="member__line">
            {labelOf(ID_TYPE_LABELS, m.idType)} {m.idNumberMasked} · {m.birthDate} ·{" "}
            {labelOf(SEX_LABELS, m.sex)}
          </View>
          <View className="member__line">
            重点人群：{groupsText(m.groups)} · 代办授权记录于 {formatDateTime(m.consentRecordedAt)}
          </View>
        </View>
      ))}
    </View>
  );
}
