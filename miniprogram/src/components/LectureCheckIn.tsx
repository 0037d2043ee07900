import { View } from "@tarojs/components";
import { useState } from "react";
import { parseCheckInQr } from "../lib/check-in";
import type { Person } from "../lib/people";
import { ScanUnavailable, scanQr } from "../lib/scan";
import { errorMessage } from "../lib/use-async";
import { checkInLecture } from "../services/notices";
import { Button } from "./ui";

/**
 * 扫码签到 on a lecture's page: scans the code on the screen at the venue and checks in every
 * registered family member this account brought. One message says how it went.
 */
export function LectureCheckIn({
  noticeId,
  people,
  onDone,
}: {
  noticeId: string;
  /** The registered family members (and herself). */
  people: readonly Person[];
  onDone?: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: "ok" | "error"; text: string } | null>(null);

  const run = async () => {
    if (busy || people.length === 0) return;
    setBusy(true);
    setMessage(null);
    try {
      const text = await scanQr();
      if (text === null) return;
      const parsed = parseCheckInQr(text);
      if (!parsed) {
        setMessage({ tone: "error", text: "这不是讲座签到二维码，请扫描现场屏幕上的二维码" });
        return;
      }
      if (parsed.noticeId !== noticeId) {
        setMessage({ tone: "error", text: "这是其他讲座的签到码，请确认讲座后再扫" });
        return;
      }
      const names: string[] = [];
      for (const person of people) {
        await checkInLecture(noticeId, parsed.token, person.residentId);
        names.push(person.name);
      }
      setMessage({ tone: "ok", text: `${names.join("、")}已签到，感谢参加` });
      onDone?.();
    } catch (err) {
      setMessage({
        tone: "error",
        text:
          err instanceof ScanUnavailable
            ? "无法打开扫码，请检查相机权限，或请现场工作人员帮您签到"
            : errorMessage(err),
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="lecture__check-in" id="notice-check-in">
      <Button
        block
        type="primary"
        id="notice-check-in-scan"
        loading={busy}
        disabled={busy}
        onClick={() => void run()}
      >
        扫码签到
      </Button>
      {message ? (
        <View
          className={`notice ${message.tone === "ok" ? "notice--info" : "notice--error"}`}
          id="notice-check-in-message"
        >
          {message.text}
        </View>
      ) : null}
    </View>
  );
}
