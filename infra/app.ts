import { buildApp } from "./stack.js";

// Stage comes from context (`-c stage=prod`; cdk.json defaults to dev). cdk-nag runs in buildApp.
buildApp().app.synth();
