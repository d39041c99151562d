jicengSearch("t/1","");
