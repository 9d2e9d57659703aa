/** The system.warnings setting card (a <Col> inside the system settings page's row). */
export default function WarningsSettingsCard() {
  return null;
}
