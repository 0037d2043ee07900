import { View } from "@tarojs/components";
import { kindLabel, NOTICE_KIND_COLOURS } from "../lib/notices";
import { Tag } from "./ui";

const REMINDER = { background: "#eef1f0", color: "#5f6b66" };

/** 健康讲座 / 季节提示 / 突发事件 / 健康教育 (or 提醒 for personal messages), coloured by kind. */
export function NoticeKindTag({ kind, id }: { kind: string; id?: string }) {
  const colours = (NOTICE_KIND_COLOURS as Record<string, { background: string; color: string }>)[kind];
  return (
    <View className="status-tag" id={id} data-kind={kind}>
      <Tag {...(colours ?? REMINDER)} round>
        {kindLabel(kind)}
      </Tag>
    </View>
  );
}
