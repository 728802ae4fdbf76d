/** Vite builds a module imported with `?worker&url` as a separate worker script and gives its address. */
declare module '*?worker&url' {
  const url: string;
  export default url;
}
