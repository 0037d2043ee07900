import type { PropsWithChildren } from "react";
import "@nutui/icons-react-taro/dist/style_icon.css";
import "./app.scss";
import { installPrivacyGate } from "./lib/privacy";

installPrivacyGate();

function App({ children }: PropsWithChildren) {
  // Pages render as children; global state lives in small stores (lib/elder-mode, services/session).
  return children;
}

export default App;
