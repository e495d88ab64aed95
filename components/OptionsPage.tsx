export function OptionsPage() { return <main>Options</main>; }
