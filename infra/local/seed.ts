export async function seedDemoData(): Promise<void> {}
