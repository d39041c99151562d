jicengSearch("t/2","\r");
