/** The IIFE app as it is: the kernels would be fetched by URL, which an IIFE cannot form. */
import { runApp } from "./iife-app.js";

runApp();
