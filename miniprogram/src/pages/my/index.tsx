import { View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { useState } from "react";
import { ElderModeSwitch } from "../../components/ElderModeSwitch";
import { ExportSummary } from "../../components/ExportSummary";
import { LinkCell } from "../../components/LinkCell";
import { PageShell } from "../../components/PageShell";
import { SubscribeCard } from "../../components/SubscribeCard";
import { Button, Cell } from "../../components/ui";
import { navigate, useRequireLogin } from "../../lib/auth-guard";
import { confirm } from "../../lib/confirm";
import { isStaff } from "../../lib/contracts";
import { labelOf, ROLE_LABELS } from "../../lib/labels";
import { errorMessage, useAsync } from "../../lib/use-async";
import { deleteMyAccount, exportMyData, getMe } from "../../services/me";
import { PAGES } from "../../services/routes";
import { clearSession } from "../../services/session";
import type { ExportData } from "../../services/types";

const IS_H5 = process.env.TARO_ENV === "h5";

/** In the browser, offer the export as a JSON file as well as showing it. */
function downloadJson(data: unknown): void {
  if (!IS_H5 || typeof document === "undefined" || typeof URL.createObjectURL !== "function") return;
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = `jiayi-my-data-${new Date().toISOString().slice(0, 10)}.json`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export default function MyPage() {
  const loggedIn = useRequireLogin();
  const me = useAsync(getMe, loggedIn);
  const [exported, setExported] = useState<ExportData | null>(null);
  const [exporting, setExporting] = useState(false);
  const [deleting, setDeleting] = useState(false);

  Taro.useDidShow(() => {
    if (loggedIn && me.data) me.reload();
  });

  const profile = me.data?.profile ?? null;
  const roles = me.data?.user.roles ?? [];

  const doExport = async () => {
    setExporting(true);
    try {
      const data = await exportMyData();
      setExported(data);
    } catch {
      // request() already showed the server's message.
    } finally {
      setExporting(false);
    }
  };

  const doDelete = async () => {
    const ok = await confirm({
      title: "确认注销账号？",
      content: "注销后，您的个人信息、家庭成员和签约记录将被删除或匿名化，且无法恢复。",
      confirmText: "确认注销",
      confirmColor: "#d93026",
    });
    if (!ok) return;
    setDeleting(true);
    try {
      await deleteMyAccount();
      clearSession();
      void Taro.showToast({ title: "账号已注销", icon: "none" }).catch(() => undefined);
      await Taro.reLaunch({ url: PAGES.home });
    } catch (err) {
      void errorMessage(err);
    } finally {
      setDeleting(false);
    }
  };

  const logout = () => {
    clearSession();
    void Taro.reLaunch({ url: PAGES.home }).catch(() => undefined);
  };

  return (
    <PageShell loading={!loggedIn || me.loading} error={me.error} onRetry={me.reload} id="my">
      <View className="card me-card" id="my-summary">
        <View className="me-card__avatar">{profile?.name?.slice(0, 1) ?? "居"}</View>
        <View className="me-card__main">
          <View className="me-card__name" id="my-name">
            {profile?.name ?? "尚未完善个人信息"}
          </View>
          {profile ? (
            <>
              <View className="me-card__line" id="my-idNumberMasked">
                证件号码：{profile.idNumberMasked}
              </View>
              <View className="me-card__line" id="my-phoneMasked">
                手机号：{profile.phoneMasked}
              </View>
            </>
          ) : (
            <View className="me-card__line">完善后可签约家庭医生</View>
          )}
          <View className="tags" id="my-roles">
            {roles.map((role) => (
              <View key={role} className="pill">
                {labelOf(ROLE_LABELS, role)}
              </View>
            ))}
          </View>
        </View>
      </View>

      <View className="card cells">
        <Cell
          id="my-profile"
          title="个人信息"
          description={profile ? "查看或修改实名信息" : "去完善实名信息"}
          extra="›"
          clickable
          onClick={() => navigate(PAGES.profile)}
        />
        <Cell
          id="my-contracts"
          title="我的签约"
          description="签约状态、服务完成情况与解约"
          extra="›"
          clickable
          onClick={() => navigate(PAGES.contracts)}
        />
        <Cell
          id="my-appointments"
          title="我的预约"
          description="待就诊与历史预约、取消预约、候补邀请"
          extra="›"
          clickable
          onClick={() => navigate(PAGES.myAppointments)}
        />
        <Cell
          id="my-family"
          title="家庭成员"
          description={`已添加 ${me.data?.family.length ?? 0} 位`}
          extra="›"
          clickable
          onClick={() => navigate(PAGES.family)}
        />
      </View>

      {roles.includes("manager") ? (
        <View className="card cells">
          <LinkCell
            id="my-invitations"
            title="邀请团队成员"
            description="生成、分享和撤销邀请码"
            onClick={() => navigate(PAGES.invitations)}
          />
          <LinkCell
            id="my-members"
            title="团队成员管理"
            description="调整成员的团队与角色，移除成员"
            onClick={() => navigate(PAGES.members)}
          />
        </View>
      ) : null}

      {isStaff(roles) ? (
        <View className="card cells">
          <Cell
            id="my-team"
            title="团队工作台"
            description="审核签约申请、登记履约服务"
            extra="›"
            clickable
            onClick={() => navigate(PAGES.team)}
          />
          <Cell
            id="my-team-day"
            title="今日预约"
            description="签到、完成、爽约登记"
            extra="›"
            clickable
            onClick={() => navigate(PAGES.teamDay)}
          />
        </View>
      ) : null}

      <View className="card">
        <ElderModeSwitch id="my-elder-switch" />
      </View>

      <SubscribeCard id="my-subscribe" />

      <View className="card cells">
        <Cell
          id="my-export"
          title="导出我的数据"
          description="获取我们保存的您的全部个人信息"
          extra={exporting ? "导出中…" : "›"}
          clickable
          onClick={() => void doExport()}
        />
        {me.data && !isStaff(roles) ? (
          <LinkCell
            id="my-claim"
            title="加入团队"
            description="医护人员（或区卫健委）凭邀请码加入"
            onClick={() => navigate(PAGES.claim)}
          />
        ) : null}
        <Cell
          id="my-consent"
          title="隐私政策"
          description="查看隐私政策与健康信息授权"
          extra="›"
          clickable
          onClick={() => navigate(PAGES.consent)}
        />
      </View>

      {exported ? (
        <View className="card" id="my-export-result">
          <View className="section-title">我的数据</View>
          <ExportSummary data={exported} />
          {IS_H5 ? (
            <Button
              block
              fill="outline"
              type="primary"
              id="my-export-download"
              onClick={() => downloadJson(exported)}
            >
              下载完整数据（JSON 文件）
            </Button>
          ) : null}
        </View>
      ) : null}

      <View className="actions">
        <Button block fill="outline" size="large" id="my-logout" onClick={logout}>
          退出登录
        </Button>
        <Button
          block
          fill="none"
          className="danger-link"
          id="my-delete"
          loading={deleting}
          onClick={() => void doDelete()}
        >
          注销账号
        </Button>
      </View>
    </PageShell>
  );
}
