/// <reference types="@tarojs/taro" />

declare module "*.png";
declare module "*.svg";
declare module "*.css";
declare module "*.scss";

/** Base URL of the Jiayi API, fixed at build time (config/index.ts defineConstants). "" = same origin. */
declare const API_BASE_URL: string;

declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV: "weapp" | "swan" | "alipay" | "h5" | "rn" | "tt" | "quickapp" | "qq" | "jd" | undefined;
    JIAYI_API_BASE_URL?: string;
  }
}
