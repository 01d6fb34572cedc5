/** `@nestjs/swagger/plugin` (package exports) ships no types of its own: they are dist/plugin's, which the exports map does not let Node load. */
declare module '@nestjs/swagger/plugin' {
  export * from '@nestjs/swagger/dist/plugin';
}
