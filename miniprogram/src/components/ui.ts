/**
 * The NutUI components this app uses, imported one by one with their own styles, so the
 * mini-program ships only what it needs (the full NutUI stylesheet is 230 KB).
 */
import "@nutui/nutui-react-taro/dist/es/packages/button/style/css";
import "@nutui/nutui-react-taro/dist/es/packages/cell/style/css";
import "@nutui/nutui-react-taro/dist/es/packages/cellgroup/style/css";
import "@nutui/nutui-react-taro/dist/es/packages/checkbox/style/css";
import "@nutui/nutui-react-taro/dist/es/packages/empty/style/css";
import "@nutui/nutui-react-taro/dist/es/packages/input/style/css";
import "@nutui/nutui-react-taro/dist/es/packages/loading/style/css";
import "@nutui/nutui-react-taro/dist/es/packages/popup/style/css";
import "@nutui/nutui-react-taro/dist/es/packages/progress/style/css";
import "@nutui/nutui-react-taro/dist/es/packages/pulltorefresh/style/css";
import "@nutui/nutui-react-taro/dist/es/packages/switch/style/css";
import "@nutui/nutui-react-taro/dist/es/packages/tabpane/style/css";
import "@nutui/nutui-react-taro/dist/es/packages/tabs/style/css";
import "@nutui/nutui-react-taro/dist/es/packages/tag/style/css";
import "@nutui/nutui-react-taro/dist/es/packages/textarea/style/css";

export { default as Button } from "@nutui/nutui-react-taro/dist/es/packages/button";
export { default as Cell } from "@nutui/nutui-react-taro/dist/es/packages/cell";
export { default as CellGroup } from "@nutui/nutui-react-taro/dist/es/packages/cellgroup";
export { default as Checkbox } from "@nutui/nutui-react-taro/dist/es/packages/checkbox";
export { default as Empty } from "@nutui/nutui-react-taro/dist/es/packages/empty";
export { default as Input } from "@nutui/nutui-react-taro/dist/es/packages/input";
export { default as Loading } from "@nutui/nutui-react-taro/dist/es/packages/loading";
export { default as Popup } from "@nutui/nutui-react-taro/dist/es/packages/popup";
export { default as Progress } from "@nutui/nutui-react-taro/dist/es/packages/progress";
export { default as PullToRefresh } from "@nutui/nutui-react-taro/dist/es/packages/pulltorefresh";
export { default as Switch } from "@nutui/nutui-react-taro/dist/es/packages/switch";
export { default as Tabs } from "@nutui/nutui-react-taro/dist/es/packages/tabs";
export { default as Tag } from "@nutui/nutui-react-taro/dist/es/packages/tag";
export { default as TextArea } from "@nutui/nutui-react-taro/dist/es/packages/textarea";
