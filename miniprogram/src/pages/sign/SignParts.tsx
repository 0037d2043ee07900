import { View } from "@tarojs/components";
import type { ReactNode } from "react";
import { Tag } from "../../components/ui";
import { yuan } from "../../lib/contracts";
import { ENTITLEMENT_LABELS, GROUP_LABELS, labelOf } from "../../lib/labels";
import type { ServicePackage } from "../../services/types";

export function Section({ step, title, children }: { step: number; title: string; children: ReactNode }) {
  return (
    <View className="card step">
      <View className="step__title">
        <View className="step__no">{step}</View>
        {title}
      </View>
      {children}
    </View>
  );
}

export function PackageCard({
  pkg,
  selected,
  fixed,
  onToggle,
}: {
  pkg: ServicePackage;
  selected: boolean;
  fixed?: boolean;
  onToggle?: () => void;
}) {
  return (
    <View
      id={`sign-package-${pkg.packageId}`}
      className={`choice package${selected ? " choice--active" : ""}${fixed ? " choice--fixed" : ""}`}
      onClick={fixed ? undefined : onToggle}
    >
      <View className="choice__head">
        <View className="choice__title">
          {selected ? "✓ " : ""}
          {pkg.name}
        </View>
        {fixed ? (
          <Tag background="#e8f6ef" color="#166a56">
            基础包 · 必选
          </Tag>
        ) : pkg.targetGroups.length ? (
          <Tag background="#eef4fb" color="#245a8d">
            {pkg.targetGroups.map((g) => labelOf(GROUP_LABELS, g)).join("、")}
          </Tag>
        ) : null}
      </View>
      <View className="choice__desc">{pkg.description}</View>
      <View className="choice__desc">
        服务内容：
        {pkg.items
          .map((item) => `${item.name || labelOf(ENTITLEMENT_LABELS, item.type)} ${item.timesPerYear}次/年`)
          .join("，")}
      </View>
      <View className="package__money" id={`sign-package-${pkg.packageId}-money`}>
        <View>费用 {yuan(pkg.feeFen)}</View>
        <View>补助 {yuan(pkg.subsidyFen)}</View>
        <View className="package__pays">自付 {yuan(pkg.residentPaysFen)}</View>
      </View>
    </View>
  );
}

export function AgreementRow({ label, id, children }: { label: string; id?: string; children: ReactNode }) {
  return (
    <View className="result__row">
      <View className="result__label">{label}</View>
      <View className="result__value" id={id}>
        {children}
      </View>
    </View>
  );
}
