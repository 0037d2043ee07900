import { View } from "@tarojs/components";
import { useElderMode } from "../lib/elder-mode";
import { Switch } from "./ui";

/** The 长辈模式 toggle (home and "my" pages). */
export function ElderModeSwitch({ id = "elder-mode-switch" }: { id?: string }) {
  const [elder, setElder] = useElderMode();
  return (
    <View className="elder-switch" id={`${id}-row`} onClick={() => setElder(!elder)}>
      <View className="elder-switch__text">
        <View className="elder-switch__title">长辈模式</View>
        <View className="elder-switch__desc">
          {elder ? "已开启：字体更大、按钮更大" : "开启后字体更大、按钮更大"}
        </View>
      </View>
      {/* The row handles the tap; the switch only shows the state. */}
      <View onClick={(e) => e.stopPropagation()}>
        <Switch id={id} checked={elder} onChange={(on) => setElder(on)} />
      </View>
    </View>
  );
}
