import { View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { useCallback, useEffect, useState } from "react";
import { ElderModeSwitch } from "../../components/ElderModeSwitch";
import { FamilyStatusCard } from "../../components/FamilyStatusCard";
import { PageShell } from "../../components/PageShell";
import { Button } from "../../components/ui";
import { navigate } from "../../lib/auth-guard";
import { isOpen, isStaff } from "../../lib/contracts";
import { showUnreadBadge } from "../../lib/tab-badge";
import { errorMessage } from "../../lib/use-async";
import { useHomeStatus } from "../../lib/use-home-status";
import { getMe } from "../../services/me";
import { PAGES } from "../../services/routes";
import { getToken } from "../../services/session";
import type { Me } from "../../services/types";

interface Tile {
  key: string;
  title: string;
  desc: string;
  mark: string;
  tone: string;
  url: string;
}

const TILES: Tile[] = [
  {
    key: "contract",
    title: "签约家庭医生",
    desc: "选择团队，在线签约",
    mark: "签",
    tone: "green",
    // Decided when the tile is tapped: sign (nothing running yet) or 我的签约.
    url: PAGES.sign,
  },
  {
    key: "appointment",
    title: "预约服务",
    desc: "门诊、随访、上门",
    mark: "约",
    tone: "blue",
    url: PAGES.appointments,
  },
  {
    key: "notices",
    title: "健康通知",
    desc: "讲座与健康提醒",
    mark: "知",
    tone: "orange",
    url: PAGES.notices,
  },
  {
    key: "survey",
    title: "满意度评价",
    desc: "为服务打分",
    mark: "评",
    tone: "purple",
    url: PAGES.surveys,
  },
  { key: "my", title: "我的", desc: "个人信息与家人", mark: "我", tone: "teal", url: PAGES.my },
];

/** Shown to team staff (doctor / nurse / public-health worker) only. */
const TEAM_TILE: Tile = {
  key: "team",
  title: "团队工作台",
  desc: "审核签约、今日预约、排班",
  mark: "队",
  tone: "blue",
  url: PAGES.team,
};

/** Shown to centre managers only (also used in the browser through the H5 build). */
const MANAGER_TILE: Tile = {
  key: "dashboard",
  title: "满意度与月报",
  desc: "评分趋势、团队对比、月报下载",
  mark: "报",
  tone: "purple",
  url: PAGES.dashboard,
};

/** Managers also bring staff in: invitations, and the members page from there. */
const INVITE_TILE: Tile = {
  key: "invitations",
  title: "成员与邀请",
  desc: "邀请医护加入，调整团队成员",
  mark: "邀",
  tone: "teal",
  url: PAGES.invitations,
};

/** The district health commission (区卫健委): its read-only view over the district's centres. */
const DISTRICT_TILE: Tile = {
  key: "district",
  title: "区卫健委看板",
  desc: "各中心月报、签约覆盖、满意度",
  mark: "区",
  tone: "green",
  url: PAGES.district,
};

function greetingWord(now = new Date()): string {
  const hour = now.getHours();
  if (hour < 5) return "夜深了";
  if (hour < 11) return "早上好";
  if (hour < 13) return "中午好";
  if (hour < 18) return "下午好";
  return "晚上好";
}

export default function HomePage() {
  const [loggedIn, setLoggedIn] = useState(() => getToken() !== null);
  const [me, setMe] = useState<Me | null>(null);
  const [meError, setMeError] = useState<string | null>(null);
  const [loadingMe, setLoadingMe] = useState(false);
  const status = useHomeStatus(me);
  const signed = !!status.cards?.some((c) => c.contract && isOpen(c.contract));

  const loadMe = useCallback(() => {
    const hasToken = getToken() !== null;
    setLoggedIn(hasToken);
    if (!hasToken) {
      setMe(null);
      return;
    }
    setLoadingMe(true);
    setMeError(null);
    getMe().then(
      (value) => {
        setMe(value);
        setLoadingMe(false);
      },
      (err: unknown) => {
        setMeError(errorMessage(err));
        setLoadingMe(false);
      },
    );
  }, []);

  Taro.useDidShow(loadMe);
  useEffect(() => {
    if (status.cards) showUnreadBadge(status.unread);
  }, [status.cards, status.unread]);

  const name = me?.profile?.name;
  const roles = me?.user.roles;
  const tiles = [
    ...(roles?.includes("district") ? [DISTRICT_TILE] : []),
    ...(roles?.includes("manager") ? [MANAGER_TILE, INVITE_TILE] : []),
    ...(isStaff(roles) ? [TEAM_TILE] : []),
    ...TILES,
  ];
  const urlOf = (tile: Tile) => (tile.key === "contract" && signed ? PAGES.contracts : tile.url);
  return (
    <PageShell className="home" id="home">
      <View className="hero">
        <View className="hero__greeting" id="home-greeting">
          {greetingWord()}
          {name ? `，${name}` : ""}
        </View>
        <View className="hero__desc">家医 · 您身边的社区家庭医生</View>
        {!loggedIn ? (
          <Button className="hero__action" id="home-login" onClick={() => navigate(PAGES.login)}>
            登录 / 注册
          </Button>
        ) : null}
      </View>

      {loggedIn && loadingMe && !me ? <View className="notice">正在获取您的信息…</View> : null}
      {loggedIn && meError ? (
        <View className="notice notice--error" id="home-error" onClick={loadMe}>
          {meError}（点此重试）
        </View>
      ) : null}
      {loggedIn && me && !me.profile && !roles?.some((r) => r !== "resident") ? (
        <View
          className="notice notice--warn"
          id="home-complete-profile"
          onClick={() => navigate(PAGES.profile)}
        >
          请先完善个人信息，才能签约家庭医生和预约服务 ›
        </View>
      ) : null}

      {status.cards?.length ? (
        <View className="status-cards" id="home-status">
          {status.cards.map((card) => (
            <FamilyStatusCard key={card.person.residentId} card={card} />
          ))}
        </View>
      ) : null}

      <View className="card">
        <ElderModeSwitch id="home-elder-switch" />
      </View>

      <View className="tiles">
        {tiles.map((tile) => (
          <View
            key={tile.key}
            id={`home-tile-${tile.key}`}
            className={`tile tile--${tile.tone}`}
            data-url={urlOf(tile)}
            onClick={() => navigate(urlOf(tile))}
          >
            <View className="tile__mark">{tile.mark}</View>
            <View className="tile__title">{tile.title}</View>
            <View className="tile__desc">{tile.desc}</View>
          </View>
        ))}
      </View>

      <View className="footnote">服务时间以所属社区卫生服务中心公告为准。如遇急症请拨打 120。</View>
    </PageShell>
  );
}
